/* test-digest-parse.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading WWW-Authenticate / Proxy-Authenticate and Authorization values.
 */
#include "config.h"

#include "hail-sip-digest.h"
#include "hail-sip-error.h"

#include <string.h>

static GPtrArray *
parse_ok (const char *value)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *challenges = hail_sip_digest_parse_challenges (value, strlen (value), &error);

  g_assert_no_error (error);
  g_assert_nonnull (challenges);
  return challenges;
}

static HailSipDigestChallenge *
nth (GPtrArray *challenges,
     guint      i)
{
  g_assert_cmpuint (i, <, challenges->len);
  return g_ptr_array_index (challenges, i);
}

static void
assert_parse_error (const char  *value,
                    gsize        len,
                    HailSipError code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) challenges = hail_sip_digest_parse_challenges (value, len, &error);

  g_assert_error (error, HAIL_SIP_ERROR, (gint) code);
  g_assert_null (challenges);
}

static void
test_parse_rfc2617 (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_ok ("Digest\n realm=\"testrealm@host.com\",\n qop=\"auth,auth-int\",\n "
              "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\n "
              "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  HailSipDigestChallenge *c = nth (challenges, 0);

  g_assert_cmpuint (challenges->len, ==, 1);
  g_assert_true (c->is_digest);
  g_assert_cmpstr (c->scheme, ==, "Digest");
  g_assert_cmpstr (c->realm, ==, "testrealm@host.com");
  g_assert_cmpstr (c->nonce, ==, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  g_assert_cmpstr (c->opaque, ==, "5ccc069c403ebaf9f0171e9517f40e41");
  g_assert_null (c->algorithm);
  g_assert_cmpint (c->algo, ==, HAIL_SIP_DIGEST_ALGORITHM_MD5);
  g_assert_false (c->sess);
  g_assert_true (c->has_qop);
  g_assert_cmpint (c->qop, ==, HAIL_SIP_DIGEST_QOP_AUTH | HAIL_SIP_DIGEST_QOP_AUTH_INT);
  g_assert_false (c->stale);
  g_assert_true (hail_sip_digest_challenge_is_usable (c));
}

static void
test_parse_unquoted (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_ok ("Digest realm=example.test, nonce=abc/def==, algorithm=MD5-sess, stale=TRUE");
  HailSipDigestChallenge *c = nth (challenges, 0);

  g_assert_cmpstr (c->realm, ==, "example.test");
  g_assert_cmpstr (c->nonce, ==, "abc/def==");
  g_assert_cmpstr (c->algorithm, ==, "MD5-sess");
  g_assert_true (c->sess);
  g_assert_true (c->stale);
  g_assert_false (c->has_qop);
}

static void
test_parse_empty_opaque (void)
{
  g_autoptr(GPtrArray) challenges = parse_ok ("Digest realm=\"r\", nonce=\"n\", opaque=\"\"");

  g_assert_cmpstr (nth (challenges, 0)->opaque, ==, "");
}

static void
test_parse_stale_any_case (void)
{
  const char *values[] = { "true", "True", "\"TRUE\"", "FALSE", "false", "maybe" };
  const gboolean expected[] = { TRUE, TRUE, TRUE, FALSE, FALSE, FALSE };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *value = g_strdup_printf ("Digest realm=r, nonce=n, stale=%s", values[i]);
      g_autoptr(GPtrArray) challenges = parse_ok (value);

      g_assert_cmpint (nth (challenges, 0)->stale, ==, expected[i]);
    }
}

static void
test_parse_qop_forms (void)
{
  g_autoptr(GPtrArray) spaced = parse_ok ("Digest realm=r, nonce=n, qop=\" auth-int , auth \"");
  g_autoptr(GPtrArray) unquoted = parse_ok ("Digest realm=r, nonce=n, qop=auth,auth-int, opaque=o");
  g_autoptr(GPtrArray) unknown = parse_ok ("Digest realm=r, nonce=n, qop=\"auth-conf\"");

  g_assert_cmpint (nth (spaced, 0)->qop, ==,
                   HAIL_SIP_DIGEST_QOP_AUTH | HAIL_SIP_DIGEST_QOP_AUTH_INT);
  g_assert_cmpuint (unquoted->len, ==, 1);
  g_assert_cmpint (nth (unquoted, 0)->qop, ==,
                   HAIL_SIP_DIGEST_QOP_AUTH | HAIL_SIP_DIGEST_QOP_AUTH_INT);
  g_assert_cmpstr (nth (unquoted, 0)->opaque, ==, "o");
  g_assert_true (nth (unknown, 0)->has_qop);
  g_assert_cmpint (nth (unknown, 0)->qop, ==, HAIL_SIP_DIGEST_QOP_NONE);
  g_assert_false (hail_sip_digest_challenge_is_usable (nth (unknown, 0)));
}

static void
test_parse_rfc7616_params (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_ok ("Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-512-256, "
              "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", "
              "opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\", charset=UTF-8, "
              "userhash=true, domain=\"sip:example.test sip:proxy.example.test\"");
  HailSipDigestChallenge *c = nth (challenges, 0);

  g_assert_cmpint (c->algo, ==, HAIL_SIP_DIGEST_ALGORITHM_SHA512_256);
  g_assert_cmpstr (c->charset, ==, "UTF-8");
  g_assert_true (c->userhash);
  g_assert_cmpstr (c->domain, ==, "sip:example.test sip:proxy.example.test");
}

static void
test_parse_unknown_params_ignored (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_ok ("Digest realm=r, x-vendor=\"a, b\", nonce=n, Foo=bar");

  g_assert_cmpuint (challenges->len, ==, 1);
  g_assert_cmpstr (nth (challenges, 0)->nonce, ==, "n");
}

static void
test_parse_escapes (void)
{
  g_autoptr(GPtrArray) challenges = parse_ok ("Digest realm=\"say \\\"hi\\\" \\\\o/\", nonce=n");

  g_assert_cmpstr (nth (challenges, 0)->realm, ==, "say \"hi\" \\o/");
}

static void
test_parse_lws_everywhere (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_ok ("  \tDigest \r\n\trealm \t= \"r\"\r\n , ,nonce=\r\n \"folded\r\n value\" ,  ");
  HailSipDigestChallenge *c = nth (challenges, 0);

  g_assert_cmpstr (c->realm, ==, "r");
  g_assert_cmpstr (c->nonce, ==, "folded value");
}

static void
test_parse_several_challenges (void)
{
  g_autoptr(GPtrArray) challenges =
    parse_ok ("Digest realm=\"a\", nonce=\"1\", algorithm=SHA-256, "
              "Basic realm=\"a\", "
              "Negotiate YIIBzAYGKwYBBQUCoIIBwDCCAbyg==, "
              "Digest realm=\"b\", nonce=\"2\"");

  g_assert_cmpuint (challenges->len, ==, 4);
  g_assert_cmpstr (nth (challenges, 0)->realm, ==, "a");
  g_assert_cmpint (nth (challenges, 0)->algo, ==, HAIL_SIP_DIGEST_ALGORITHM_SHA256);
  g_assert_false (nth (challenges, 1)->is_digest);
  g_assert_cmpstr (nth (challenges, 1)->scheme, ==, "Basic");
  g_assert_cmpstr (nth (challenges, 1)->raw, ==, "realm=\"a\"");
  g_assert_false (hail_sip_digest_challenge_is_usable (nth (challenges, 1)));
  g_assert_cmpstr (nth (challenges, 2)->scheme, ==, "Negotiate");
  g_assert_cmpstr (nth (challenges, 2)->raw, ==, "YIIBzAYGKwYBBQUCoIIBwDCCAbyg==");
  g_assert_cmpstr (nth (challenges, 3)->realm, ==, "b");
  g_assert_cmpstr (nth (challenges, 3)->nonce, ==, "2");
}

static void
test_parse_scheme_case (void)
{
  g_autoptr(GPtrArray) challenges = parse_ok ("dIgEsT REALM=r, NONCE=n, Algorithm=sha-256");

  g_assert_true (nth (challenges, 0)->is_digest);
  g_assert_cmpint (nth (challenges, 0)->algo, ==, HAIL_SIP_DIGEST_ALGORITHM_SHA256);
}

static void
test_parse_unknown_algorithm (void)
{
  g_autoptr(GPtrArray) challenges = parse_ok ("Digest realm=r, nonce=n, algorithm=AKAv1-MD5");

  g_assert_cmpint (nth (challenges, 0)->algo, ==, HAIL_SIP_DIGEST_ALGORITHM_UNKNOWN);
  g_assert_false (hail_sip_digest_challenge_is_usable (nth (challenges, 0)));
}

static void
test_parse_garbage (void)
{
  const char *values[] = {
    "",
    "   ",
    ",,,",
    "=",
    "realm=\"r\"",                               /* a parameter before any scheme */
    "Digest realm=\"unterminated, nonce=n",
    "Digest\"realm\"",
    "Digest realm=r nonce=n",                    /* missing comma */
    "Digest realm=, nonce=n",
    "Digest realm=\"r\", nonce=\"a\rb\"",        /* bare CR in a quoted string */
    "Digest realm=\"r\"\r\nnonce=n",             /* a line end that does not fold */
    "Digest realm=\"r\", nonce=\"\x01\"",
    "Digest realm=\"r\", nonce=n\x7f",
    "Digest realm=r",                            /* no nonce */
    "Digest nonce=n",                            /* no realm */
    "Digest realm=r, realm=s, nonce=n",          /* duplicate */
    "Digest realm=\"r\\",
    "Digest (realm)=r",
    "Digest realm=r, nonce=n, \xc3\x28",         /* invalid UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) challenges = hail_sip_digest_parse_challenges (values[i],
                                                                          strlen (values[i]),
                                                                          &error);
      /* Escaped: TAP output must be valid UTF-8 text. */
      g_autofree char *shown = g_strescape (values[i], NULL);

      g_test_message ("value %u: %s", i, shown);
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
      g_assert_null (challenges);
    }
}

/* The length is what counts: a NUL inside the value is refused, not a terminator. */
static void
test_parse_embedded_nul (void)
{
  static const char value[] = "Digest realm=r, nonce=\"a\0b\"";

  assert_parse_error (value, sizeof value - 1, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_parse_bounds (void)
{
  g_autoptr(GString) long_value = g_string_new ("Digest realm=r, nonce=\"");
  g_autoptr(GString) many_params = g_string_new ("Digest realm=r, nonce=n");
  g_autoptr(GString) many_challenges = g_string_new (NULL);
  g_autoptr(GString) long_name = g_string_new ("Digest realm=r, nonce=n, ");
  g_autoptr(GString) huge = g_string_new ("Digest realm=r, nonce=n");

  for (guint i = 0; i <= HAIL_SIP_DIGEST_MAX_PARAM_LEN; i++)
    g_string_append_c (long_value, 'x');
  g_string_append_c (long_value, '"');
  assert_parse_error (long_value->str, long_value->len, HAIL_SIP_ERROR_TOO_LARGE);

  for (guint i = 0; i < HAIL_SIP_DIGEST_MAX_PARAMS; i++)
    g_string_append_printf (many_params, ", p%u=v", i);
  assert_parse_error (many_params->str, many_params->len, HAIL_SIP_ERROR_TOO_LARGE);

  for (guint i = 0; i <= HAIL_SIP_DIGEST_MAX_CHALLENGES; i++)
    g_string_append_printf (many_challenges, "%sBasic realm=r%u", i > 0 ? ", " : "", i);
  assert_parse_error (many_challenges->str, many_challenges->len, HAIL_SIP_ERROR_TOO_LARGE);

  for (guint i = 0; i <= HAIL_SIP_DIGEST_MAX_NAME_LEN; i++)
    g_string_append_c (long_name, 'n');
  g_string_append (long_name, "=v");
  assert_parse_error (long_name->str, long_name->len, HAIL_SIP_ERROR_TOO_LARGE);

  while (huge->len <= HAIL_SIP_DIGEST_MAX_VALUE_LEN)
    g_string_append (huge, ",        ");
  assert_parse_error (huge->str, huge->len, HAIL_SIP_ERROR_TOO_LARGE);
}

/* Just inside every bound still parses. */
static void
test_parse_at_bounds (void)
{
  g_autoptr(GString) value = g_string_new ("Digest realm=r, nonce=\"");
  g_autoptr(GPtrArray) challenges = NULL;

  for (guint i = 0; i < HAIL_SIP_DIGEST_MAX_PARAM_LEN; i++)
    g_string_append_c (value, 'x');
  g_string_append_c (value, '"');
  for (guint i = 2; i < HAIL_SIP_DIGEST_MAX_PARAMS; i++)
    g_string_append_printf (value, ", p%u=v", i);
  challenges = parse_ok (value->str);
  g_assert_cmpuint (strlen (nth (challenges, 0)->nonce), ==, HAIL_SIP_DIGEST_MAX_PARAM_LEN);
}

static void
test_credentials_digest (void)
{
  const char *value = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
                      "qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
                      "response=\"6629fae49393a05397450978507c4ef1\", "
                      "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=MD5, x=y";
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipDigestCredentials) c = hail_sip_digest_parse_credentials (value, strlen (value),
                                                                             &error);

  g_assert_no_error (error);
  g_assert_true (c->is_digest);
  g_assert_cmpstr (c->username, ==, "Mufasa");
  g_assert_cmpstr (c->realm, ==, "testrealm@host.com");
  g_assert_cmpstr (c->nonce, ==, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  g_assert_cmpstr (c->uri, ==, "/dir/index.html");
  g_assert_cmpstr (c->qop, ==, "auth");
  g_assert_cmpstr (c->nc, ==, "00000001");
  g_assert_cmpstr (c->cnonce, ==, "0a4f113b");
  g_assert_cmpstr (c->response, ==, "6629fae49393a05397450978507c4ef1");
  g_assert_cmpstr (c->opaque, ==, "5ccc069c403ebaf9f0171e9517f40e41");
  g_assert_cmpstr (c->algorithm, ==, "MD5");
  g_assert_false (c->userhash);
}

/* A JSON Web Token, as a Bearer token68. */
#define JWT "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo"

static void
test_credentials_unknown_scheme (void)
{
  const char *value = "Bearer  " JWT;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipDigestCredentials) c = hail_sip_digest_parse_credentials (value, strlen (value),
                                                                             &error);

  g_assert_no_error (error);
  g_assert_false (c->is_digest);
  g_assert_cmpstr (c->scheme, ==, "Bearer");
  g_assert_cmpstr (c->raw, ==, JWT);
  g_assert_null (c->username);
}

static void
test_credentials_errors (void)
{
  const char *values[] = {
    "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\"",    /* no response */
    /* Two credentials in one value: one string, split for length. */
    ("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\", "
     "Digest username=\"b\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"y\""),
    "Digest username=\"a\", username=\"b\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipDigestCredentials) c = hail_sip_digest_parse_credentials (values[i],
                                                                                 strlen (values[i]),
                                                                                 &error);

      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
      g_assert_null (c);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/digest/parse/rfc2617", test_parse_rfc2617);
  g_test_add_func ("/sip/digest/parse/unquoted", test_parse_unquoted);
  g_test_add_func ("/sip/digest/parse/empty-opaque", test_parse_empty_opaque);
  g_test_add_func ("/sip/digest/parse/stale-any-case", test_parse_stale_any_case);
  g_test_add_func ("/sip/digest/parse/qop-forms", test_parse_qop_forms);
  g_test_add_func ("/sip/digest/parse/rfc7616-params", test_parse_rfc7616_params);
  g_test_add_func ("/sip/digest/parse/unknown-params-ignored", test_parse_unknown_params_ignored);
  g_test_add_func ("/sip/digest/parse/escapes", test_parse_escapes);
  g_test_add_func ("/sip/digest/parse/lws-everywhere", test_parse_lws_everywhere);
  g_test_add_func ("/sip/digest/parse/several-challenges", test_parse_several_challenges);
  g_test_add_func ("/sip/digest/parse/scheme-case", test_parse_scheme_case);
  g_test_add_func ("/sip/digest/parse/unknown-algorithm", test_parse_unknown_algorithm);
  g_test_add_func ("/sip/digest/parse/garbage", test_parse_garbage);
  g_test_add_func ("/sip/digest/parse/embedded-nul", test_parse_embedded_nul);
  g_test_add_func ("/sip/digest/parse/bounds", test_parse_bounds);
  g_test_add_func ("/sip/digest/parse/at-bounds", test_parse_at_bounds);
  g_test_add_func ("/sip/digest/credentials/digest", test_credentials_digest);
  g_test_add_func ("/sip/digest/credentials/unknown-scheme", test_credentials_unknown_scheme);
  g_test_add_func ("/sip/digest/credentials/errors", test_credentials_errors);
  return g_test_run ();
}
