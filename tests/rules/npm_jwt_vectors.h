#pragma once
// Tokens signed by the npm jsonwebtoken package (v9, under Node 20) with keys
// generated there, so rules can be checked against the real package.

namespace gatehouse::rules::testing {

// jwt.sign({sub: 'u1', iat: 1700000000}, 'shh',
//          {expiresIn: '5 minutes', audience: 'aud1', issuer: 'https://iss.example'})
inline constexpr char kNpmHs256Token[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJ1MSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwMzAwLCJhdWQiOiJhdWQxIiwiaXNzIjoiaHR0cH"
    "M6Ly9pc3MuZXhhbXBsZSJ9.JZK6gLnpYeaGFc6DWkOiU1F8Gh8dG0UIJl0YdeYl27Q";

inline constexpr char kNpmRsaPublicPem[] = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvEK7LP3RGVUz37fb9sAM
43dZEKuV5sT9FGlo4cY8RRY5Om1mFjsvtQwykuOPHIJTTuW/5h5u9JBGwIcawxje
yCGkosypN8EishT/YyVVhd56/ppRbrF+IFdy3ip1OIwOztHufE0ZWnly3luTNe7Y
3+diGh1y5AAY8qvSmgNJWgU1Y4Nu9J4M6bfec0g6/xn+OKbDBSlHQtllxCLO+QUi
O8bZp774ETIxJclfMpD1Din6SvF8241ljUkcAwsvj8BUTBO8u4fHf253sZ0VEsOa
h0sXpbyN3p+VOk8uEeM3FPKEvR7kAxlymVuRnKZ+O5lPMf7Ei6J4oFsS/jCtBKcU
2QIDAQAB
-----END PUBLIC KEY-----
)";
// jwt.sign({sub: 'auth0|u1', passwordChanged: true, iat: 1700000000}, rsaPrivate,
//          {algorithm: 'RS256', audience: 'app', issuer: 'https://pw.example', expiresIn: '3d'})
inline constexpr char kNpmRs256Token[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJhdXRoMHx1MSIsInBhc3N3b3JkQ2hhbmdlZCI6dHJ1ZSwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAyNT"
    "kyMDAsImF1ZCI6ImFwcCIsImlzcyI6Imh0dHBzOi8vcHcuZXhhbXBsZSJ9.Q45-"
    "R1WMEMUkkBXlzl1p5uiALW0FHPOaGkCu6EQEzxoStFphc9bUN6nAFoDO1lgVMs4GJfOn6cY6zM2KbhX53Nbx_"
    "lOuBLjkt0_wpyofrAPFJ-"
    "pKCIHIjVEWZK9zDNm6FmZJX1ptseDLRWawmh8xlhBT2c5v5Omy68b2Sf2lHYgiq3fVu9463UklVuQI-"
    "i3SB3gpP0QcGTTOP6bbFUAkDzpCrkP2k2tcxYcKZ2MLhkjWUdEklsPK8-"
    "SaPmECRvLojxlaoTRfGNzQ4uqgh0JnRZEEHskdgb1FDQUqrzwQoEkBx4ZIflo2R8eO2AgDROJEjgMntlr_"
    "AGaGAsJ6Mixddg";

inline constexpr char kNpmEcPublicPem[] = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPS0bUzSxSyIdBITcavZgZpPD981e
ftp6OXhBpGFZGZx9P6A3hgdot219t3HCST9OLrHms3BMB2jK92OODRnkYg==
-----END PUBLIC KEY-----
)";
// jwt.sign({sub: 'auth0|u1', iat: 1700000000}, ecPrivate, {algorithm: 'ES256', expiresIn: 60})
inline constexpr char kNpmEs256Token[] =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJhdXRoMHx1MSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwMDYwfQ."
    "dsmlhtvXMyZkB4TXH4v5VJBSmrcooC_tc5PWwF_u6tdlBKcs0kbEozVDyeAHfmL9d5HW4CHeu7CdbjC1r4XNEw";

}  // namespace gatehouse::rules::testing
