/* test-digest.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Digest computation against published and independently computed vectors.
 * Values not printed in an RFC were computed with /usr/bin/python3's hashlib
 * (a separate implementation of the same formulas, RFC 7616 §3.4):
 *   H = lambda s: hashlib.new(alg, s.encode()).hexdigest()
 *   ha1 = H(f"{user}:{realm}:{pw}"); sess: ha1 = H(f"{ha1}:{nonce}:{cnonce}")
 *   ha2 = H(f"{method}:{uri}"), auth-int: H(f"{method}:{uri}:{H(body)}")
 *   qop: H(f"{ha1}:{nonce}:{nc:08x}:{cnonce}:{qop}:{ha2}"), else H(f"{ha1}:{nonce}:{ha2}")
 * with alg "md5", "sha256" or "sha512_256".
 */
#include "config.h"

#include "hail-sip-digest.h"
#include "hail-sip-error.h"

#include <string.h>

/* RFC 7616 §3.9.1. */
#define R7616_REALM  "http-auth@example.org"
#define R7616_NONCE  "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define R7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
#define R7616_OPAQUE "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"

/* SIP REGISTER vectors, as Kamailio would challenge. */
#define REG_CHALLENGE "Digest realm=\"example.test\", nonce=\"ZfX1ZmX1ZG6bP7n0q9vV8r6vHkYc7TEz\""
#define REG_CNONCE    "0a4f113b7c2e9d61"
#define REG_BODY      "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"

static HailSipDigestChallenge *
parse_one (const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) challenges = hail_sip_digest_parse_challenges (value, strlen (value),
                                                                      &error);

  g_assert_no_error (error);
  g_assert_cmpuint (challenges->len, >=, 1);
  return hail_sip_digest_challenge_copy (g_ptr_array_index (challenges, 0));
}

static char *
response_for (const char       *challenge_value,
              const char       *username,
              const char       *password,
              const char       *method,
              const char       *uri,
              HailSipDigestQop  qop,
              guint32           nc,
              const char       *cnonce,
              const char       *body)
{
  g_autoptr(HailSipDigestChallenge) challenge = parse_one (challenge_value);
  g_autoptr(GError) error = NULL;
  HailSipDigestInput input = {
    .username = username, .password = password, .method = method, .uri = uri,
    .body = (const guint8 *) body, .body_len = body != NULL ? strlen (body) : 0,
    .qop = qop, .nc = nc, .cnonce = cnonce,
  };
  char *response = hail_sip_digest_response (challenge, &input, cnonce, &error);

  g_assert_no_error (error);
  return response;
}

static char *
rfc7616_response (const char *algorithm)
{
  g_autofree char *value =
    g_strdup_printf ("Digest realm=\"" R7616_REALM "\", qop=\"auth, auth-int\", algorithm=%s, "
                     "nonce=\"" R7616_NONCE "\", opaque=\"" R7616_OPAQUE "\"", algorithm);

  return response_for (value, "Mufasa", "Circle of Life", "GET", "/dir/index.html",
                       HAIL_SIP_DIGEST_QOP_AUTH, 1, R7616_CNONCE, NULL);
}

static char *
register_response (const char       *algorithm,
                   HailSipDigestQop  qop,
                   guint32           nc,
                   const char       *body)
{
  g_autofree char *value = g_strdup_printf (REG_CHALLENGE "%s%s%s", algorithm ? ", algorithm=" : "",
                                            algorithm ? algorithm : "",
                                            qop != HAIL_SIP_DIGEST_QOP_NONE
                                              ? ", qop=\"auth,auth-int\"" : "");

  return response_for (value, "alice", "alice-secret", "REGISTER", "sip:example.test", qop, nc,
                       REG_CNONCE, body);
}

static void
test_rfc2617_md5_auth (void)
{
  g_autofree char *response =
    response_for ("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                  "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                  "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
                  "Mufasa", "Circle Of Life", "GET", "/dir/index.html",
                  HAIL_SIP_DIGEST_QOP_AUTH, 1, "0a4f113b", NULL);

  g_assert_cmpstr (response, ==, "6629fae49393a05397450978507c4ef1");
}

static void
test_rfc7616_md5 (void)
{
  g_autofree char *response = rfc7616_response ("MD5");

  g_assert_cmpstr (response, ==, "8ca523f5e9506fed4657c9700eebdbec");
}

static void
test_rfc7616_sha256 (void)
{
  g_autofree char *response = rfc7616_response ("SHA-256");

  g_assert_cmpstr (response, ==,
                   "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

/* hashlib, RFC 7616 §3.9.1 inputs. */
static void
test_rfc7616_sha512_256 (void)
{
  g_autofree char *response = rfc7616_response ("SHA-512-256");

  g_assert_cmpstr (response, ==,
                   "430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0");
}

/* hashlib, RFC 7616 §3.9.1 inputs with the -sess H(A1). */
static void
test_rfc7616_sess (void)
{
  g_autofree char *md5 = rfc7616_response ("MD5-sess");
  g_autofree char *sha256 = rfc7616_response ("SHA-256-sess");
  g_autofree char *sha512 = rfc7616_response ("sha-512-256-SESS");

  g_assert_cmpstr (md5, ==, "e783283f46242139c486a698fec7211d");
  g_assert_cmpstr (sha256, ==,
                   "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7");
  g_assert_cmpstr (sha512, ==,
                   "3f2a34f923c38b0fb26dce2fdfc2ce326c23cecf86fbb1444f3e51fbbc2cb92e");
}

/* RFC 2069: no qop, no cnonce, no nc in the digest. hashlib. */
static void
test_register_md5_no_qop (void)
{
  g_autofree char *response = register_response (NULL, HAIL_SIP_DIGEST_QOP_NONE, 1, NULL);

  g_assert_cmpstr (response, ==, "4e3286dfa35062794071c99788f62e98");
}

static void
test_register_md5_auth_nc (void)
{
  g_autofree char *first = register_response (NULL, HAIL_SIP_DIGEST_QOP_AUTH, 1, NULL);
  g_autofree char *second = register_response ("MD5", HAIL_SIP_DIGEST_QOP_AUTH, 2, NULL);

  g_assert_cmpstr (first, ==, "2944ab4b2c115fac6e0ee0f4d5403459");
  g_assert_cmpstr (second, ==, "f895a2bf808c567cc8bbc948c25c0c65");
}

/* auth-int hashes the body, even when it is empty: H(""). hashlib. */
static void
test_register_auth_int (void)
{
  g_autofree char *empty = register_response (NULL, HAIL_SIP_DIGEST_QOP_AUTH_INT, 1, NULL);
  g_autofree char *body = register_response (NULL, HAIL_SIP_DIGEST_QOP_AUTH_INT, 1, REG_BODY);
  g_autofree char *sha = register_response ("SHA-512-256", HAIL_SIP_DIGEST_QOP_AUTH_INT, 1,
                                            REG_BODY);

  g_assert_cmpstr (empty, ==, "c24ddd601754d2ba00481b20241cb2c8");
  g_assert_cmpstr (body, ==, "be94f1389ae44c117747c30ab71944ba");
  g_assert_cmpstr (sha, ==, "616007f1672891548f244f37313c7a7064a38768c001708afff036cf5bcfe94c");
}

static void
test_register_sha256_and_sess (void)
{
  g_autofree char *sha = register_response ("SHA-256", HAIL_SIP_DIGEST_QOP_AUTH, 1, NULL);
  g_autofree char *sha_sess = register_response ("SHA-256-sess", HAIL_SIP_DIGEST_QOP_AUTH, 1, NULL);
  g_autofree char *md5_sess = register_response ("MD5-sess", HAIL_SIP_DIGEST_QOP_NONE, 1, NULL);

  g_assert_cmpstr (sha, ==, "1079b849753f2fb7d196a298b765a1c0f68f0074f2795a15ebb0c5eb9439ba97");
  g_assert_cmpstr (sha_sess, ==,
                   "ed5623b61322bd4e48ecb19a225b04db935623e2b05ade5e86fc8608bbe9db6d");
  g_assert_cmpstr (md5_sess, ==, "38dc3e683117ef65f40fe475f63539ee");
}

static char *
authorization_for (const char       *challenge_value,
                   HailSipDigestQop  qop,
                   guint32           nc,
                   const char       *cnonce)
{
  g_autoptr(HailSipDigestChallenge) challenge = parse_one (challenge_value);
  g_autoptr(GError) error = NULL;
  HailSipDigestInput input = {
    .username = "alice", .password = "alice-secret", .method = "REGISTER",
    .uri = "sip:example.test", .qop = qop, .nc = nc, .cnonce = cnonce,
  };
  char *value = hail_sip_digest_authorization (challenge, &input, &error);

  g_assert_no_error (error);
  return value;
}

static void
test_authorization_qop_auth (void)
{
  g_autofree char *value =
    authorization_for (REG_CHALLENGE ", opaque=\"5ccc\", algorithm=md5, qop=\"auth\"",
                       HAIL_SIP_DIGEST_QOP_AUTH, 1, REG_CNONCE);

  g_assert_cmpstr (value, ==,
                   "Digest username=\"alice\", realm=\"example.test\", "
                   "nonce=\"ZfX1ZmX1ZG6bP7n0q9vV8r6vHkYc7TEz\", uri=\"sip:example.test\", "
                   "response=\"2944ab4b2c115fac6e0ee0f4d5403459\", algorithm=md5, "
                   "cnonce=\"" REG_CNONCE "\", opaque=\"5ccc\", qop=auth, nc=00000001");
}

/* No algorithm in the challenge: none in the answer; RFC 2069 form. */
static void
test_authorization_no_qop (void)
{
  g_autofree char *value = authorization_for (REG_CHALLENGE, HAIL_SIP_DIGEST_QOP_NONE, 1, NULL);

  g_assert_cmpstr (value, ==,
                   "Digest username=\"alice\", realm=\"example.test\", "
                   "nonce=\"ZfX1ZmX1ZG6bP7n0q9vV8r6vHkYc7TEz\", uri=\"sip:example.test\", "
                   "response=\"4e3286dfa35062794071c99788f62e98\"");
}

static void
test_authorization_empty_opaque (void)
{
  g_autofree char *value = authorization_for (REG_CHALLENGE ", opaque=\"\"",
                                              HAIL_SIP_DIGEST_QOP_NONE, 1, NULL);

  g_assert_true (g_str_has_suffix (value, ", opaque=\"\""));
}

static void
test_authorization_nc_hex (void)
{
  g_autofree char *value = authorization_for (REG_CHALLENGE ", qop=auth",
                                              HAIL_SIP_DIGEST_QOP_AUTH, 0x1a, REG_CNONCE);

  g_assert_true (g_str_has_suffix (value, ", qop=auth, nc=0000001a"));
}

/* Values from the server are written back with their escapes. */
static void
test_authorization_escapes (void)
{
  g_autofree char *value = authorization_for ("Digest realm=\"a\\\"b\\\\c\", nonce=n",
                                              HAIL_SIP_DIGEST_QOP_NONE, 1, NULL);
  g_autoptr(HailSipDigestCredentials) back = NULL;

  g_assert_nonnull (strstr (value, "realm=\"a\\\"b\\\\c\""));
  back = hail_sip_digest_parse_credentials (value, strlen (value), NULL);
  g_assert_cmpstr (back->realm, ==, "a\"b\\c");
}

/* Without a given cnonce a fresh one comes from the CSPRNG each time. */
static void
test_authorization_fresh_cnonce (void)
{
  g_autofree char *one = authorization_for (REG_CHALLENGE ", qop=auth",
                                            HAIL_SIP_DIGEST_QOP_AUTH, 1, NULL);
  g_autofree char *two = authorization_for (REG_CHALLENGE ", qop=auth",
                                            HAIL_SIP_DIGEST_QOP_AUTH, 1, NULL);
  g_autoptr(HailSipDigestCredentials) a = hail_sip_digest_parse_credentials (one, strlen (one),
                                                                             NULL);
  g_autoptr(HailSipDigestCredentials) b = hail_sip_digest_parse_credentials (two, strlen (two),
                                                                             NULL);

  g_assert_cmpuint (strlen (a->cnonce), ==, 2 * HAIL_SIP_DIGEST_CNONCE_BYTES);
  g_assert_cmpstr (a->cnonce, !=, b->cnonce);
  g_assert_cmpstr (a->response, !=, b->response);
  for (const char *p = a->cnonce; *p != '\0'; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
}

/* RFC 7616 §3.4.4. The published §3.9.2 values do not verify (erratum
 * 4897); this hash is hashlib's H("alice:example.test") with SHA-256. */
static void
test_authorization_userhash (void)
{
  g_autofree char *value =
    authorization_for (REG_CHALLENGE ", algorithm=SHA-256, qop=auth, userhash=true",
                       HAIL_SIP_DIGEST_QOP_AUTH, 1, REG_CNONCE);
  g_autofree char *expected_user = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                                  "alice:example.test", -1);
  g_autofree char *expected = g_strdup_printf ("Digest username=\"%s\",", expected_user);

  g_assert_true (g_str_has_prefix (value, expected));
  g_assert_true (g_str_has_suffix (value, ", userhash=true"));
}

static void
test_authorization_refuses_control_chars (void)
{
  g_autoptr(HailSipDigestChallenge) challenge = parse_one (REG_CHALLENGE);
  g_autoptr(GError) error = NULL;
  HailSipDigestInput input = {
    .username = "alice", .password = "p", .method = "REGISTER",
    .uri = "sip:example.test\r\nX-Evil: 1",
  };
  g_autofree char *value = hail_sip_digest_authorization (challenge, &input, &error);

  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_null (value);
}

static void
test_authorization_wrong_qop (void)
{
  g_autoptr(HailSipDigestChallenge) challenge = parse_one (REG_CHALLENGE ", qop=auth");
  g_autoptr(GError) error = NULL;
  HailSipDigestInput input = {
    .username = "alice", .password = "secret-password", .method = "REGISTER",
    .uri = "sip:example.test", .qop = HAIL_SIP_DIGEST_QOP_AUTH_INT,
  };
  g_autofree char *value = hail_sip_digest_authorization (challenge, &input, &error);

  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED);
  g_assert_null (strstr (error->message, "secret-password"));
  g_assert_null (value);
}

static void
test_choose_strongest (void)
{
  const char *value = "Digest realm=\"r\", nonce=\"1\", algorithm=MD5, "
                      "Digest realm=\"r\", nonce=\"2\", algorithm=SHA-512-256, "
                      "Digest realm=\"r\", nonce=\"3\", algorithm=SHA-256, "
                      "Digest realm=\"other\", nonce=\"4\", algorithm=MD5";
  g_autoptr(GPtrArray) challenges = hail_sip_digest_parse_challenges (value, strlen (value), NULL);
  const HailSipDigestChallenge *best = hail_sip_digest_choose (challenges, "r", NULL);

  g_assert_cmpstr (best->nonce, ==, "2");
  g_assert_cmpstr (hail_sip_digest_choose (challenges, "other", NULL)->nonce, ==, "4");
}

static void
test_choose_skips_unsupported (void)
{
  const char *value = "Digest realm=\"r\", nonce=\"1\", algorithm=SHA-1, "
                      "Basic realm=\"r\", "
                      "Digest realm=\"r\", nonce=\"2\", qop=\"auth-conf\", "
                      "Digest realm=\"r\", nonce=\"3\", algorithm=MD5-sess, qop=\"auth-conf,auth\"";
  g_autoptr(GPtrArray) challenges = hail_sip_digest_parse_challenges (value, strlen (value), NULL);
  const HailSipDigestChallenge *best = hail_sip_digest_choose (challenges, NULL, NULL);

  g_assert_cmpstr (best->nonce, ==, "3");
}

static void
test_choose_none_usable (void)
{
  const char *value = "Basic realm=\"r\", Digest realm=\"r\", nonce=\"1\", algorithm=SHA-1";
  g_autoptr(GPtrArray) challenges = hail_sip_digest_parse_challenges (value, strlen (value), NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (hail_sip_digest_choose (challenges, NULL, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "Basic, Digest SHA-1"));
}

static void
test_choose_qop (void)
{
  g_autoptr(HailSipDigestChallenge) both = parse_one (REG_CHALLENGE ", qop=\"auth-int,auth\"");
  g_autoptr(HailSipDigestChallenge) only_int = parse_one (REG_CHALLENGE ", qop=\"auth-int\"");
  g_autoptr(HailSipDigestChallenge) none = parse_one (REG_CHALLENGE);

  g_assert_cmpint (hail_sip_digest_challenge_choose_qop (both, FALSE), ==,
                   HAIL_SIP_DIGEST_QOP_AUTH);
  g_assert_cmpint (hail_sip_digest_challenge_choose_qop (both, TRUE), ==,
                   HAIL_SIP_DIGEST_QOP_AUTH_INT);
  g_assert_cmpint (hail_sip_digest_challenge_choose_qop (only_int, FALSE), ==,
                   HAIL_SIP_DIGEST_QOP_AUTH_INT);
  g_assert_cmpint (hail_sip_digest_challenge_choose_qop (none, TRUE), ==,
                   HAIL_SIP_DIGEST_QOP_NONE);
}

static void
test_algorithm_names (void)
{
  gboolean sess = TRUE;

  g_assert_cmpint (hail_sip_digest_algorithm_from_string ("md5", &sess), ==,
                   HAIL_SIP_DIGEST_ALGORITHM_MD5);
  g_assert_false (sess);
  g_assert_cmpint (hail_sip_digest_algorithm_from_string ("SHA-512-256-sess", &sess), ==,
                   HAIL_SIP_DIGEST_ALGORITHM_SHA512_256);
  g_assert_true (sess);
  g_assert_cmpint (hail_sip_digest_algorithm_from_string ("SHA-512", NULL), ==,
                   HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN);
  g_assert_cmpint (hail_sip_digest_algorithm_from_string ("MD5-sessx", NULL), ==,
                   HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN);
  g_assert_cmpint (hail_sip_digest_algorithm_from_string ("AKAv1-MD5", NULL), ==,
                   HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/digest/rfc2617-md5-auth", test_rfc2617_md5_auth);
  g_test_add_func ("/sip/digest/rfc7616-md5", test_rfc7616_md5);
  g_test_add_func ("/sip/digest/rfc7616-sha256", test_rfc7616_sha256);
  g_test_add_func ("/sip/digest/rfc7616-sha512-256", test_rfc7616_sha512_256);
  g_test_add_func ("/sip/digest/rfc7616-sess", test_rfc7616_sess);
  g_test_add_func ("/sip/digest/register-md5-no-qop", test_register_md5_no_qop);
  g_test_add_func ("/sip/digest/register-md5-auth-nc", test_register_md5_auth_nc);
  g_test_add_func ("/sip/digest/register-auth-int", test_register_auth_int);
  g_test_add_func ("/sip/digest/register-sha256-and-sess", test_register_sha256_and_sess);
  g_test_add_func ("/sip/digest/authorization-qop-auth", test_authorization_qop_auth);
  g_test_add_func ("/sip/digest/authorization-no-qop", test_authorization_no_qop);
  g_test_add_func ("/sip/digest/authorization-empty-opaque", test_authorization_empty_opaque);
  g_test_add_func ("/sip/digest/authorization-nc-hex", test_authorization_nc_hex);
  g_test_add_func ("/sip/digest/authorization-escapes", test_authorization_escapes);
  g_test_add_func ("/sip/digest/authorization-fresh-cnonce", test_authorization_fresh_cnonce);
  g_test_add_func ("/sip/digest/authorization-userhash", test_authorization_userhash);
  g_test_add_func ("/sip/digest/authorization-refuses-control-chars",
                   test_authorization_refuses_control_chars);
  g_test_add_func ("/sip/digest/authorization-wrong-qop", test_authorization_wrong_qop);
  g_test_add_func ("/sip/digest/choose-strongest", test_choose_strongest);
  g_test_add_func ("/sip/digest/choose-skips-unsupported", test_choose_skips_unsupported);
  g_test_add_func ("/sip/digest/choose-none-usable", test_choose_none_usable);
  g_test_add_func ("/sip/digest/choose-qop", test_choose_qop);
  g_test_add_func ("/sip/digest/algorithm-names", test_algorithm_names);
  return g_test_run ();
}
