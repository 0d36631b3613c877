#include "rules/spidermonkey/natives.h"

#include <js/Array.h>
#include <js/CallArgs.h>
#include <js/Conversions.h>
#include <js/String.h>
#include <js/Utility.h>

#include <cmath>
#include <cstring>
#include <optional>

#include "core/base64url.h"
#include "crypto/asymmetric_key.h"
#include "crypto/digest.h"
#include "crypto/secure_random.h"
#include "rules/duration.h"

namespace gatehouse::rules::sm {
namespace {

NativeHost& Host(JSContext* cx) { return *static_cast<NativeHost*>(JS_GetContextPrivate(cx)); }

// A JS string as bytes, one byte per char (the prelude's "byte strings").
bool ArgBytes(JSContext* cx, JS::HandleValue v, std::string* out) {
  JS::RootedString s(cx, JS::ToString(cx, v));
  if (!s) return false;
  size_t length = JS_GetStringLength(s);
  JS::UniqueChars chars = JS_EncodeStringToLatin1(cx, s);
  if (!chars) return false;
  out->assign(chars.get(), length);
  return true;
}

bool ArgUtf8(JSContext* cx, JS::HandleValue v, std::string* out) {
  JS::RootedString s(cx, JS::ToString(cx, v));
  if (!s) return false;
  JS::UniqueChars chars = JS_EncodeStringToUTF8(cx, s);
  if (!chars) return false;
  out->assign(chars.get());
  return true;
}

bool ReturnBytes(JSContext* cx, JS::CallArgs& args, const std::string& bytes) {
  JSString* s = JS_NewStringCopyN(cx, bytes.data(), bytes.size());
  if (!s) return false;
  args.rval().setString(s);
  return true;
}

// Invalid UTF-8 becomes U+FFFD, as Node's Buffer#toString does.
std::string SanitizeUtf8(const std::string& in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    unsigned char c = in[i];
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= in.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(in[i + k]) >> 6) == 2;
    if (ok && n > 1) {
      uint32_t cp = c & (0x7f >> n);
      for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (in[i + k] & 0x3f);
      ok = !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000) &&
           cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    }
    if (ok) {
      out.append(in, i, n);
      i += n;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
  return out;
}

bool ReturnUtf8(JSContext* cx, JS::CallArgs& args, const std::string& text) {
  std::string clean = SanitizeUtf8(text);
  JSString* s = JS_NewStringCopyUTF8N(cx, JS::UTF8Chars(clean.data(), clean.size()));
  if (!s) return false;
  args.rval().setString(s);
  return true;
}

std::optional<crypto::Hash> HashByName(const std::string& name) {
  if (name == "sha256") return crypto::Hash::kSha256;
  if (name == "sha384") return crypto::Hash::kSha384;
  if (name == "sha512") return crypto::Hash::kSha512;
  return std::nullopt;
}

// JOSE algorithm -> hash; RS* and ES256 only (what jsonwebtoken here signs).
std::optional<crypto::Hash> JoseHash(const std::string& alg, crypto::KeyKind* kind) {
  if (alg == "ES256") return *kind = crypto::KeyKind::kEcP256, crypto::Hash::kSha256;
  *kind = crypto::KeyKind::kRsa;
  if (alg == "RS256") return crypto::Hash::kSha256;
  if (alg == "RS384") return crypto::Hash::kSha384;
  if (alg == "RS512") return crypto::Hash::kSha512;
  return std::nullopt;
}

bool Throw(JSContext* cx, const std::string& message) {
  JS_ReportErrorUTF8(cx, "%s", message.c_str());
  return false;
}

#define GH_ARGS                                     \
  JS::CallArgs args = JS::CallArgsFromVp(argc, vp); \
  (void)args

bool Log(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string level, text;
  if (!ArgUtf8(cx, args.get(0), &level) || !ArgUtf8(cx, args.get(1), &text)) return false;
  Host(cx).Log(level, text);
  args.rval().setUndefined();
  return true;
}

bool SetTimer(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  double ms = 0;
  if (!JS::ToNumber(cx, args.get(0), &ms)) return false;
  args.rval().setInt32(Host(cx).SetTimer(std::isfinite(ms) ? ms : 0));
  return true;
}

bool ClearTimer(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  int32_t id = 0;
  if (!JS::ToInt32(cx, args.get(0), &id)) return false;
  Host(cx).ClearTimer(id);
  args.rval().setUndefined();
  return true;
}

bool HostOp(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string kind, user_id, json;
  if (!ArgUtf8(cx, args.get(0), &kind) || !ArgUtf8(cx, args.get(1), &user_id) ||
      !ArgUtf8(cx, args.get(2), &json)) {
    return false;
  }
  args.rval().setInt32(Host(cx).StartHostOp(kind, user_id, json));
  return true;
}

bool Fetch(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string json;
  if (!ArgUtf8(cx, args.get(0), &json)) return false;
  args.rval().setInt32(Host(cx).StartFetch(json));
  return true;
}

bool RuleDone(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  Host(cx).RuleDone(JS::ToBoolean(args.get(0)));
  args.rval().setUndefined();
  return true;
}

bool ChargeBytes(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  double n = 0;
  if (!JS::ToNumber(cx, args.get(0), &n)) return false;
  if (!Host(cx).ChargeArrayBytes(std::isfinite(n) ? n : 1e300)) {
    return Throw(cx, "RangeError: ArrayBuffer allocation limit of this execution exceeded");
  }
  args.rval().setUndefined();
  return true;
}

bool Digest(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string alg, data;
  if (!ArgUtf8(cx, args.get(0), &alg) || !ArgBytes(cx, args.get(1), &data)) return false;
  auto hash = HashByName(alg);
  if (!hash) return Throw(cx, "Digest method not supported");
  return ReturnBytes(cx, args, crypto::Digest(*hash, data));
}

bool Hmac(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string alg, key, data;
  if (!ArgUtf8(cx, args.get(0), &alg) || !ArgBytes(cx, args.get(1), &key) ||
      !ArgBytes(cx, args.get(2), &data)) {
    return false;
  }
  auto hash = HashByName(alg);
  if (!hash) return Throw(cx, "Digest method not supported");
  return ReturnBytes(cx, args, crypto::Hmac(*hash, key, data));
}

bool ConstantTimeEquals(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string a, b;
  if (!ArgBytes(cx, args.get(0), &a) || !ArgBytes(cx, args.get(1), &b)) return false;
  args.rval().setBoolean(crypto::ConstantTimeEquals(a, b));
  return true;
}

bool RandomBytes(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  int32_t n = 0;
  if (!JS::ToInt32(cx, args.get(0), &n)) return false;
  if (n < 0 || n > 65536) return Throw(cx, "randomBytes: size out of range");
  return ReturnBytes(cx, args, crypto::SecureRandom::Instance().Bytes(static_cast<size_t>(n)));
}

bool Sign(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string alg, pem, data;
  if (!ArgUtf8(cx, args.get(0), &alg) || !ArgUtf8(cx, args.get(1), &pem) ||
      !ArgBytes(cx, args.get(2), &data)) {
    return false;
  }
  crypto::KeyKind want;
  auto hash = JoseHash(alg, &want);
  if (!hash) return Throw(cx, "\"algorithm\" must be a valid string enum value");
  auto key = crypto::PrivateKey::FromPem(pem);
  if (!key.ok())
    return Throw(cx,
                 "error:secretOrPrivateKey is not a valid private key: " + key.status().message());
  if (key->kind() != want) return Throw(cx, "secretOrPrivateKey has the wrong key type for " + alg);
  auto sig = key->Sign(*hash, data);
  if (!sig.ok()) return Throw(cx, "signing failed: " + sig.status().message());
  return ReturnBytes(cx, args, *sig);
}

bool Verify(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string alg, pem, data, sig;
  if (!ArgUtf8(cx, args.get(0), &alg) || !ArgUtf8(cx, args.get(1), &pem) ||
      !ArgBytes(cx, args.get(2), &data) || !ArgBytes(cx, args.get(3), &sig)) {
    return false;
  }
  crypto::KeyKind want;
  auto hash = JoseHash(alg, &want);
  if (!hash) return Throw(cx, "invalid algorithm");
  auto key = crypto::PublicKey::FromPem(pem);
  if (!key.ok()) {
    auto priv = crypto::PrivateKey::FromPem(pem);
    if (!priv.ok()) return Throw(cx, "secretOrPublicKey is not a valid key");
    key = priv->Public();
  }
  if (key->kind() != want) return Throw(cx, "invalid algorithm");
  args.rval().setBoolean(key->Verify(*hash, data, sig));
  return true;
}

bool Utf8Encode(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string text;
  if (!ArgUtf8(cx, args.get(0), &text)) return false;
  return ReturnBytes(cx, args, text);
}

bool Utf8Decode(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string bytes;
  if (!ArgBytes(cx, args.get(0), &bytes)) return false;
  return ReturnUtf8(cx, args, bytes);
}

bool B64Encode(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string bytes;
  if (!ArgBytes(cx, args.get(0), &bytes)) return false;
  std::string out = JS::ToBoolean(args.get(1)) ? Base64UrlEncode(bytes) : Base64Encode(bytes);
  return ReturnBytes(cx, args, out);
}

// Lenient like Node's Buffer.from(s, 'base64'): both alphabets, padding
// optional, other characters skipped, stops at the first '='.
bool B64Decode(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string text;
  if (!ArgBytes(cx, args.get(0), &text)) return false;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : text) {
    int v;
    if (ch >= 'A' && ch <= 'Z')
      v = ch - 'A';
    else if (ch >= 'a' && ch <= 'z')
      v = ch - 'a' + 26;
    else if (ch >= '0' && ch <= '9')
      v = ch - '0' + 52;
    else if (ch == '+' || ch == '-')
      v = 62;
    else if (ch == '/' || ch == '_')
      v = 63;
    else if (ch == '=')
      break;
    else
      continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return ReturnBytes(cx, args, out);
}

bool ParseDuration(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string text;
  if (!ArgUtf8(cx, args.get(0), &text)) return false;
  auto ms = ParseDurationMs(text);
  if (ms)
    args.rval().setDouble(*ms);
  else
    args.rval().setUndefined();
  return true;
}

bool ResolveModule(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string request, from, filename;
  if (!ArgUtf8(cx, args.get(0), &request)) return false;
  if (!args.get(1).isNullOrUndefined() && !ArgUtf8(cx, args.get(1), &from)) return false;
  if (!Host(cx).ResolveModule(cx, request, from, &filename)) return false;
  return ReturnUtf8(cx, args, filename);
}

bool CompileModule(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string filename;
  if (!ArgUtf8(cx, args.get(0), &filename)) return false;
  JSObject* fn = Host(cx).CompileModule(cx, filename);
  if (!fn) return false;
  args.rval().setObject(*fn);
  return true;
}

bool ReadModuleJson(JSContext* cx, unsigned argc, JS::Value* vp) {
  GH_ARGS;
  std::string filename, text;
  if (!ArgUtf8(cx, args.get(0), &filename)) return false;
  if (!Host(cx).ReadModuleText(cx, filename, &text)) return false;
  return ReturnUtf8(cx, args, text);
}

const JSFunctionSpec kNatives[] = {
    JS_FN("log", Log, 2, 0),
    JS_FN("setTimer", SetTimer, 1, 0),
    JS_FN("clearTimer", ClearTimer, 1, 0),
    JS_FN("hostOp", HostOp, 3, 0),
    JS_FN("fetch", Fetch, 1, 0),
    JS_FN("ruleDone", RuleDone, 1, 0),
    JS_FN("chargeBytes", ChargeBytes, 1, 0),
    JS_FN("digest", Digest, 2, 0),
    JS_FN("hmac", Hmac, 3, 0),
    JS_FN("constantTimeEquals", ConstantTimeEquals, 2, 0),
    JS_FN("randomBytes", RandomBytes, 1, 0),
    JS_FN("sign", Sign, 3, 0),
    JS_FN("verify", Verify, 4, 0),
    JS_FN("utf8Encode", Utf8Encode, 1, 0),
    JS_FN("utf8Decode", Utf8Decode, 1, 0),
    JS_FN("b64Encode", B64Encode, 2, 0),
    JS_FN("b64Decode", B64Decode, 1, 0),
    JS_FN("parseDuration", ParseDuration, 1, 0),
    JS_FN("resolveModule", ResolveModule, 2, 0),
    JS_FN("compileModule", CompileModule, 1, 0),
    JS_FN("readModuleJson", ReadModuleJson, 1, 0),
    JS_FS_END,
};

}  // namespace

bool DefineNatives(JSContext* cx, JS::HandleObject target) {
  return JS_DefineFunctions(cx, target, kNatives);
}

}  // namespace gatehouse::rules::sm
