#include "crypto/asymmetric_key.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cctype>
#include <cstring>

#include "crypto/openssl_md.h"

namespace gatehouse::crypto {

// Owns one EVP_PKEY. OpenSSL 3 allows concurrent sign/verify on a shared key
// (each operation builds its own EVP_PKEY_CTX), which is what makes the key
// classes thread-safe.
class KeyHandle {
 public:
  KeyHandle(EVP_PKEY* pkey, KeyKind kind) : pkey_(pkey), kind_(kind) {}
  ~KeyHandle() { EVP_PKEY_free(pkey_); }
  KeyHandle(const KeyHandle&) = delete;
  KeyHandle& operator=(const KeyHandle&) = delete;

  EVP_PKEY* pkey() const { return pkey_; }
  KeyKind kind() const { return kind_; }

 private:
  EVP_PKEY* pkey_;
  KeyKind kind_;
};

namespace {

// Huge moduli make every verification slow (a cheap denial of service through
// a hostile JWKS); nobody deploys more than this.
constexpr int kMaxRsaBits = 8192;
constexpr size_t kEcCoordinateBytes = 32;

// OpenSSL reports failures on a per-thread error queue. Left there, a stale
// entry is picked up by the next unrelated OpenSSL call on the thread (TLS
// reads check the queue), so every entry point drains it on the way out.
struct ErrorQueueGuard {
  ~ErrorQueueGuard() { ERR_clear_error(); }
};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using SigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG, ECDSA_SIG_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using DecoderPtr =
    std::unique_ptr<OSSL_DECODER_CTX, Deleter<OSSL_DECODER_CTX, OSSL_DECODER_CTX_free>>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The kind of a loaded key, or an error for types and curves we do not use.
Result<KeyKind> Classify(EVP_PKEY* pkey, bool is_private) {
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    const int bits = EVP_PKEY_get_bits(pkey);
    if (bits > kMaxRsaBits) return InvalidArgument("RSA key larger than 8192 bits");
    if (is_private && bits < kMinRsaBits) return InvalidArgument("RSA key smaller than 2048 bits");
    return KeyKind::kRsa;
  }
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64] = {0};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
                                       &len) == 1 &&
        std::strcmp(group, "prime256v1") == 0) {
      return KeyKind::kEcP256;
    }
    return InvalidArgument("unsupported EC curve (only P-256)");
  }
  return InvalidArgument("unsupported key type (only RSA and EC P-256)");
}

// The label of the first PEM block ("PUBLIC KEY"), or empty if there is none.
std::string_view PemLabel(std::string_view pem) {
  constexpr std::string_view kBegin = "-----BEGIN ";
  const size_t begin = pem.find(kBegin);
  if (begin == std::string_view::npos) return {};
  // Only whitespace may precede the block, so a key cannot hide behind junk.
  for (size_t i = 0; i < begin; ++i) {
    if (!std::isspace(static_cast<unsigned char>(pem[i]))) return {};
  }
  const size_t start = begin + kBegin.size();
  const size_t end = pem.find("-----", start);
  if (end == std::string_view::npos) return {};
  return pem.substr(start, end - start);
}

BioPtr MemBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Never prompts on a terminal for an encrypted PEM: encrypted keys are refused.
int NoPassword(char*, int, int, void*) { return -1; }

PkeyPtr DecodePem(std::string_view pem, int selection) {
  EVP_PKEY* pkey = nullptr;
  DecoderPtr dctx(
      OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", nullptr, nullptr, selection, nullptr, nullptr));
  if (!dctx) return nullptr;
  const unsigned char* data = Bytes(pem);
  size_t len = pem.size();
  if (OSSL_DECODER_from_data(dctx.get(), &data, &len) != 1) {
    EVP_PKEY_free(pkey);
    return nullptr;
  }
  return PkeyPtr(pkey);
}

std::string BnToBytes(const BIGNUM* bn, int pad_to = 0) {
  const int len = pad_to > 0 ? pad_to : BN_num_bytes(bn);
  std::string out(static_cast<size_t>(len), '\0');
  if (len == 0) return out;
  if (BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), len) != len) return {};
  return out;
}

BnPtr GetBn(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) return nullptr;
  return BnPtr(bn);
}

Result<PkeyPtr> FromParams(const char* type, OSSL_PARAM_BLD* bld) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return Internal("cannot set up key import");
  }
  EVP_PKEY* pkey = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return InvalidArgument("invalid public key parameters");
  }
  return PkeyPtr(pkey);
}

Result<std::string> WritePem(EVP_PKEY* pkey, bool is_private) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return Internal("out of memory");
  const int rc = is_private ? PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey, nullptr, nullptr, 0,
                                                            nullptr, nullptr)
                            : PEM_write_bio_PUBKEY(bio.get(), pkey);
  if (rc != 1) return Internal("cannot encode key as PEM");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

// JOSE r||s (RFC 7518 §3.4) to the DER ECDSA-Sig-Value OpenSSL verifies.
// Empty on any malformed input, including r or s equal to zero.
std::string RawToDerSignature(std::string_view raw) {
  if (raw.size() != 2 * kEcCoordinateBytes) return {};
  BnPtr r(BN_bin2bn(Bytes(raw), kEcCoordinateBytes, nullptr));
  BnPtr s(BN_bin2bn(Bytes(raw) + kEcCoordinateBytes, kEcCoordinateBytes, nullptr));
  if (!r || !s || BN_is_zero(r.get()) || BN_is_zero(s.get())) return {};
  SigPtr sig(ECDSA_SIG_new());
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return {};
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

// DER ECDSA-Sig-Value from OpenSSL to JOSE r||s.
std::string DerToRawSignature(std::string_view der) {
  const unsigned char* p = Bytes(der);
  SigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return {};
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  return BnToBytes(r, kEcCoordinateBytes) + BnToBytes(s, kEcCoordinateBytes);
}

bool SetRsaPadding(EVP_PKEY_CTX* pctx, KeyKind kind) {
  return kind != KeyKind::kRsa || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
}

}  // namespace

// ---------------------------------------------------------------- PublicKey

PublicKey::PublicKey(std::shared_ptr<const KeyHandle> key) : key_(std::move(key)) {}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  ErrorQueueGuard guard;
  const std::string_view label = PemLabel(pem);
  PkeyPtr pkey;
  if (label == "CERTIFICATE") {
    BioPtr bio = MemBio(pem);
    X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr) : nullptr);
    if (!cert) return InvalidArgument("malformed certificate PEM");
    pkey.reset(X509_get_pubkey(cert.get()));
  } else if (label == "PUBLIC KEY" || label == "RSA PUBLIC KEY") {
    pkey = DecodePem(pem, EVP_PKEY_PUBLIC_KEY);
  } else {
    return InvalidArgument("expected a PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE PEM");
  }
  if (!pkey) return InvalidArgument("malformed public key PEM");
  GH_ASSIGN_OR_RETURN(KeyKind kind, Classify(pkey.get(), /*is_private=*/false));
  return PublicKey(std::make_shared<const KeyHandle>(pkey.release(), kind));
}

Result<PublicKey> PublicKey::FromRsaComponents(std::string_view n, std::string_view e) {
  ErrorQueueGuard guard;
  if (n.empty() || e.empty()) return InvalidArgument("empty RSA modulus or exponent");
  if (n.size() > kMaxRsaBits / 8 + 1 || e.size() > 8) {
    return InvalidArgument("RSA modulus or exponent too large");
  }
  BnPtr bn_n(BN_bin2bn(Bytes(n), static_cast<int>(n.size()), nullptr));
  BnPtr bn_e(BN_bin2bn(Bytes(e), static_cast<int>(e.size()), nullptr));
  if (!bn_n || !bn_e) return Internal("out of memory");
  if (!BN_is_odd(bn_e.get()) || BN_cmp(bn_e.get(), BN_value_one()) <= 0 || !BN_is_odd(bn_n.get())) {
    return InvalidArgument("invalid RSA modulus or exponent");
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return Internal("out of memory");
  }
  GH_ASSIGN_OR_RETURN(PkeyPtr pkey, FromParams("RSA", bld.get()));
  GH_ASSIGN_OR_RETURN(KeyKind kind, Classify(pkey.get(), /*is_private=*/false));
  return PublicKey(std::make_shared<const KeyHandle>(pkey.release(), kind));
}

Result<PublicKey> PublicKey::FromEcP256(std::string_view x, std::string_view y) {
  ErrorQueueGuard guard;
  if (x.size() != kEcCoordinateBytes || y.size() != kEcCoordinateBytes) {
    return InvalidArgument("P-256 coordinates must be 32 bytes each");
  }
  std::string point = "\x04";  // uncompressed SEC1 encoding
  point.append(x);
  point.append(y);
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return Internal("out of memory");
  }
  GH_ASSIGN_OR_RETURN(PkeyPtr pkey, FromParams("EC", bld.get()));
  // Import already decodes the point; the explicit check makes "on the curve,
  // not the identity" a stated guarantee rather than an implementation detail.
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return InvalidArgument("EC point is not on P-256");
  }
  return PublicKey(std::make_shared<const KeyHandle>(pkey.release(), KeyKind::kEcP256));
}

KeyKind PublicKey::kind() const { return key_->kind(); }

int PublicKey::bits() const { return EVP_PKEY_get_bits(key_->pkey()); }

std::pair<std::string, std::string> PublicKey::Components() const {
  ErrorQueueGuard guard;
  EVP_PKEY* pkey = key_->pkey();
  if (key_->kind() == KeyKind::kRsa) {
    BnPtr n = GetBn(pkey, OSSL_PKEY_PARAM_RSA_N);
    BnPtr e = GetBn(pkey, OSSL_PKEY_PARAM_RSA_E);
    if (!n || !e) return {};
    return {BnToBytes(n.get()), BnToBytes(e.get())};
  }
  BnPtr x = GetBn(pkey, OSSL_PKEY_PARAM_EC_PUB_X);
  BnPtr y = GetBn(pkey, OSSL_PKEY_PARAM_EC_PUB_Y);
  if (!x || !y) return {};
  return {BnToBytes(x.get(), kEcCoordinateBytes), BnToBytes(y.get(), kEcCoordinateBytes)};
}

Result<std::string> PublicKey::ToPem() const {
  ErrorQueueGuard guard;
  return WritePem(key_->pkey(), /*is_private=*/false);
}

bool PublicKey::Verify(Hash hash, std::string_view data, std::string_view signature) const {
  ErrorQueueGuard guard;
  if (!key_) return false;
  std::string der;
  if (key_->kind() == KeyKind::kRsa) {
    if (bits() < kMinRsaBits) return false;
  } else {
    der = RawToDerSignature(signature);
    if (der.empty()) return false;
    signature = der;
  }
  MdCtxPtr md_ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md_ctx
  if (!md_ctx ||
      EVP_DigestVerifyInit(md_ctx.get(), &pctx, internal::Md(hash), nullptr, key_->pkey()) != 1 ||
      !SetRsaPadding(pctx, key_->kind())) {
    return false;
  }
  return EVP_DigestVerify(md_ctx.get(), Bytes(signature), signature.size(), Bytes(data),
                          data.size()) == 1;
}

// --------------------------------------------------------------- PrivateKey

PrivateKey::PrivateKey(std::shared_ptr<const KeyHandle> key) : key_(std::move(key)) {}

Result<PrivateKey> PrivateKey::GenerateRsa(int bits) {
  ErrorQueueGuard guard;
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return InvalidArgument("RSA key size must be 2048..8192 bits");
  }
  EVP_PKEY* pkey = EVP_RSA_gen(static_cast<unsigned int>(bits));
  if (pkey == nullptr) return Internal("RSA key generation failed");
  return PrivateKey(std::make_shared<const KeyHandle>(pkey, KeyKind::kRsa));
}

Result<PrivateKey> PrivateKey::GenerateEcP256() {
  ErrorQueueGuard guard;
  EVP_PKEY* pkey = EVP_EC_gen("prime256v1");
  if (pkey == nullptr) return Internal("EC key generation failed");
  return PrivateKey(std::make_shared<const KeyHandle>(pkey, KeyKind::kEcP256));
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  ErrorQueueGuard guard;
  const std::string_view label = PemLabel(pem);
  if (label != "PRIVATE KEY" && label != "RSA PRIVATE KEY" && label != "EC PRIVATE KEY") {
    return InvalidArgument("expected an unencrypted PRIVATE KEY, RSA or EC PRIVATE KEY PEM");
  }
  BioPtr bio = MemBio(pem);
  PkeyPtr pkey(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr) : nullptr);
  if (!pkey) return InvalidArgument("malformed or encrypted private key PEM");
  GH_ASSIGN_OR_RETURN(KeyKind kind, Classify(pkey.get(), /*is_private=*/true));
  return PrivateKey(std::make_shared<const KeyHandle>(pkey.release(), kind));
}

Result<std::string> PrivateKey::ToPem() const {
  ErrorQueueGuard guard;
  return WritePem(key_->pkey(), /*is_private=*/true);
}

KeyKind PrivateKey::kind() const { return key_->kind(); }

PublicKey PrivateKey::Public() const {
  // The private EVP_PKEY also verifies; sharing it avoids a re-import.
  return PublicKey(key_);
}

Result<std::string> PrivateKey::Sign(Hash hash, std::string_view data) const {
  ErrorQueueGuard guard;
  MdCtxPtr md_ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md_ctx
  if (!md_ctx ||
      EVP_DigestSignInit(md_ctx.get(), &pctx, internal::Md(hash), nullptr, key_->pkey()) != 1 ||
      !SetRsaPadding(pctx, key_->kind())) {
    return Internal("cannot set up signing");
  }
  size_t len = 0;
  if (EVP_DigestSign(md_ctx.get(), nullptr, &len, Bytes(data), data.size()) != 1) {
    return Internal("cannot size signature");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(md_ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, Bytes(data),
                     data.size()) != 1) {
    return Internal("signing failed");
  }
  sig.resize(len);
  if (key_->kind() == KeyKind::kEcP256) {
    sig = DerToRawSignature(sig);
    if (sig.empty()) return Internal("malformed ECDSA signature from OpenSSL");
  }
  return sig;
}

}  // namespace gatehouse::crypto
