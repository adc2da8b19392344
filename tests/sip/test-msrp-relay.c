/* test-msrp-relay.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MSRP relays (RFC 4976) as values: the relay URI an account names, AUTH
 * built with HailSipAuth's digest answer, what a relay answers (401
 * challenges, 200 with Use-Path and Expires, good and bad), paths put
 * together, and AUTH reaching a log without its credentials.
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-message.h"
#include "hail-msrp-relay.h"
#include "hail-sip-auth.h"
#include "hail-sip-error.h"
#include "hail-sip-log.h"

#define RELAY "msrps://127.0.0.1:5061;tcp"
#define LOCAL "msrp://127.0.0.1:40000/s7kd9;tcp"

#define AUTH_PATHS \
  "To-Path: msrp://127.0.0.1:40000/s7kd9;tcp\r\n" \
  "From-Path: msrps://127.0.0.1:5061;tcp\r\n"

static HailMsrpMessage *
parse_str (const char  *text,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return hail_msrp_message_parse (bytes, error);
}

static HailMsrpMessage *
response (const char  *headers,
          GError     **error)
{
  g_autofree char *text = g_strdup_printf ("MSRP r8sk2 200 OK\r\n" AUTH_PATHS "%s-------r8sk2$\r\n",
                                           headers);

  return parse_str (text, error);
}

static void
test_uri (void)
{
  const char *bad[] = {
    "msrp://127.0.0.1:5061;tcp",      /* No TLS: credentials in the clear. */
    "msrps://127.0.0.1:5061;udp",
    "sips:relay.example.test",
    "msrps://;tcp",
    "",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpUri) good = hail_msrp_relay_parse_uri ("msrps://relay.example.test:2855;tcp",
                                                           &error);

  g_assert_no_error (error);
  g_assert_cmpstr (hail_msrp_uri_get_host (good), ==, "relay.example.test");
  g_assert_cmpuint (hail_msrp_uri_get_port (good), ==, 2855);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(HailMsrpUri) uri = hail_msrp_relay_parse_uri (bad[i], &error);

      g_assert_null (uri);
      g_assert_nonnull (error);
      /* The message quotes what the user typed. */
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }
}

/* The 401 Kamailio's auth module sends, as a relay would. */
#define CHALLENGE \
  "Digest realm=\"example.test\", nonce=\"Zk3xYWJjZGVm\", qop=\"auth\", algorithm=SHA-256"

static void
test_auth_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpUri) relay = hail_msrp_relay_parse_uri (RELAY, &error);
  g_autoptr(HailMsrpUri) local = hail_msrp_uri_parse (LOCAL, -1, &error);
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, "s3cret-pw");
  const char *challenges[] = { CHALLENGE, NULL };
  HailSipAuthRequest request = { .method = "AUTH", .uri = RELAY };
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(HailMsrpMessage) m = NULL;
  g_autofree char *tid = NULL;
  g_autofree char *value = NULL;
  g_autofree char *logged = NULL;
  GPtrArray *path;
  guint expires = 0;
  gsize len = 0;
  const char *data;

  headers = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_WWW, challenges, &request, &error);
  g_assert_no_error (error);
  frame = hail_msrp_relay_build_auth (relay, local, headers, 1800, &tid);
  m = hail_msrp_message_parse (frame, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hail_msrp_message_get_method (m), ==, HAIL_MSRP_METHOD_AUTH);
  g_assert_true (hail_sip_span_equal_str (hail_msrp_message_get_transaction_id (m), tid));
  path = hail_msrp_message_get_to_path (m);
  g_assert_cmpuint (path->len, ==, 1);
  g_assert_cmpstr (hail_msrp_uri_to_string (path->pdata[0]), ==, RELAY);
  path = hail_msrp_message_get_from_path (m);
  g_assert_cmpstr (hail_msrp_uri_to_string (path->pdata[0]), ==, LOCAL);
  g_assert_true (hail_msrp_message_get_expires (m, &expires));
  g_assert_cmpuint (expires, ==, 1800);
  value = hail_sip_span_dup (hail_msrp_message_get_header_value (m, "Authorization"));
  /* RFC 4976 §5.1: the digest answers AUTH for the relay's URI. */
  g_assert_nonnull (strstr (value, "username=\"alice\""));
  g_assert_nonnull (strstr (value, "uri=\"" RELAY "\""));
  g_assert_nonnull (strstr (value, "algorithm=SHA-256"));
  g_assert_nonnull (strstr (value, "qop=auth"));
  g_assert_nonnull (strstr (value, "response=\""));

  /* What reaches a log keeps who and where, never the answer. */
  data = g_bytes_get_data (frame, &len);
  logged = hail_sip_log_redact (data, len);
  g_assert_nonnull (strstr (logged, "username=\"alice\""));
  g_assert_null (strstr (logged, "response="));
  g_assert_null (strstr (logged, "s3cret-pw"));
}

static void
test_auth_first (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpUri) relay = hail_msrp_relay_parse_uri (RELAY, &error);
  g_autoptr(HailMsrpUri) local = hail_msrp_uri_parse (LOCAL, -1, &error);
  g_autoptr(GBytes) frame = hail_msrp_relay_build_auth (relay, local, NULL, 0, NULL);
  g_autoptr(HailMsrpMessage) m = hail_msrp_message_parse (frame, &error);
  guint expires;

  g_assert_no_error (error);
  g_assert_cmpint (hail_msrp_message_get_method (m), ==, HAIL_MSRP_METHOD_AUTH);
  g_assert_false (hail_sip_span_present (hail_msrp_message_get_header_value (m,
                                                                              "Authorization")));
  g_assert_false (hail_msrp_message_get_expires (m, &expires));
  g_assert_false (hail_msrp_message_has_body (m));
}

static void
test_auth_parse_strict (void)
{
  const char *bad[] = {
    /* AUTH carries no body and asks for no Use-Path. */
    "MSRP a1b2c3 AUTH\r\n" AUTH_PATHS "Content-Type: text/plain\r\n\r\nhi\r\n-------a1b2c3$\r\n",
    "MSRP a1b2c3 AUTH\r\n" AUTH_PATHS "Use-Path: msrps://r.test/x;tcp\r\n-------a1b2c3$\r\n",
    "MSRP a1b2c3 AUTH\r\n" AUTH_PATHS "Expires: 12x\r\n-------a1b2c3$\r\n",
    "MSRP a1b2c3 AUTH\r\n" AUTH_PATHS "Expires: \r\n-------a1b2c3$\r\n",
    "MSRP a1b2c3 AUTH\r\n" AUTH_PATHS "Expires: 99999999999999999999\r\n-------a1b2c3$\r\n",
    "MSRP a1b2c3 AUTH\r\n" AUTH_PATHS "Expires: 86401\r\n-------a1b2c3$\r\n",
    "MSRP a1b2c3 AUTH\r\n" AUTH_PATHS "Expires: 60\r\nExpires: 60\r\n-------a1b2c3$\r\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailMsrpMessage) m = parse_str (bad[i], &error);

      g_assert_null (m);
      g_assert_nonnull (error);
      g_assert_true (error->domain == HAIL_SIP_ERROR);
    }
}

static void
test_grant_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = response (
    "Use-Path: msrps://127.0.0.1:5061/msrp-1-2.3;tcp msrp://10.0.0.9:2855/x9;tcp\r\n"
    "Expires: 600\r\n", &error);
  g_autoptr(GPtrArray) use_path = NULL;
  g_autofree char *text = NULL;
  guint expires = 0;

  g_assert_no_error (error);
  use_path = hail_msrp_relay_read_grant (m, &expires, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expires, ==, 600);
  g_assert_cmpuint (use_path->len, ==, 2);
  text = hail_msrp_path_to_string (use_path);
  g_assert_cmpstr (text, ==,
                   "msrps://127.0.0.1:5061/msrp-1-2.3;tcp msrp://10.0.0.9:2855/x9;tcp");
  /* The array is the caller's, not the message's. */
  g_assert_true (use_path != hail_msrp_message_get_use_path (m));
}

static void
test_grant_bad (void)
{
  const struct {
    const char *headers;
    gboolean    parses;
  } cases[] = {
    { "Expires: 600\r\n", TRUE },                                             /* No Use-Path. */
    { "Use-Path: msrps://127.0.0.1:5061/a;tcp\r\n", TRUE },                   /* No Expires. */
    { "Use-Path: msrps://127.0.0.1:5061/a;tcp\r\nExpires: 0\r\n", TRUE },
    { "Use-Path: msrp://127.0.0.1:5061/a;tcp\r\nExpires: 60\r\n", TRUE },     /* Not TLS. */
    { "Use-Path: msrps://127.0.0.1:5061;tcp\r\nExpires: 60\r\n", TRUE },      /* No session. */
    { "Use-Path: msrps://127.0.0.1:5061/a;udp\r\nExpires: 60\r\n", TRUE },
    { "Use-Path: msrps://127.0.0.1:5061/a;tcp \r\nExpires: 60\r\n", FALSE },
    { "Use-Path: http://127.0.0.1/a\r\nExpires: 60\r\n", FALSE },
    { "Use-Path: \r\nExpires: 60\r\n", FALSE },
    { "Use-Path: msrps://r/a;tcp\r\nUse-Path: msrps://r/b;tcp\r\nExpires: 60\r\n", FALSE },
    { "Use-Path: msrps://r/a;tcp\r\nExpires: -1\r\n", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailMsrpMessage) m = response (cases[i].headers, &error);
      g_autoptr(GPtrArray) use_path = NULL;
      guint expires = 0;

      if (!cases[i].parses)
        {
          g_assert_null (m);
          g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
          continue;
        }
      g_assert_no_error (error);
      use_path = hail_msrp_relay_read_grant (m, &expires, &error);
      g_assert_null (use_path);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "MSRP relay"));
    }
}

static void
test_grant_too_many_hops (void)
{
  g_autoptr(GString) headers = g_string_new ("Use-Path:");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = NULL;

  for (int i = 0; i <= HAIL_MSRP_MAX_PATH_URIS; i++)
    g_string_append_printf (headers, " msrps://r%d.test/s;tcp", i);
  g_string_append (headers, "\r\nExpires: 60\r\n");
  m = response (headers->str, &error);
  g_assert_null (m);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_challenges (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) two = parse_str (
    "MSRP q1w2e3 401 Unauthorized\r\n" AUTH_PATHS
    "WWW-Authenticate: " CHALLENGE "\r\n"
    "WWW-Authenticate: Digest realm=\"example.test\", nonce=\"n2\"\r\n"
    "-------q1w2e3$\r\n", &error);
  g_autoptr(HailMsrpMessage) none = parse_str (
    "MSRP q1w2e3 401 Unauthorized\r\n" AUTH_PATHS "-------q1w2e3$\r\n", &error);
  g_autoptr(GString) many = g_string_new ("MSRP q1w2e3 401 Unauthorized\r\n" AUTH_PATHS);
  g_autoptr(HailMsrpMessage) too_many = NULL;
  g_auto(GStrv) values = NULL;

  g_assert_no_error (error);
  values = hail_msrp_relay_dup_challenges (two, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (values), ==, 2);
  g_assert_cmpstr (values[0], ==, CHALLENGE);
  g_clear_pointer (&values, g_strfreev);

  values = hail_msrp_relay_dup_challenges (none, &error);
  g_assert_null (values);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_clear_error (&error);

  for (int i = 0; i <= HAIL_MSRP_RELAY_MAX_CHALLENGES; i++)
    g_string_append (many, "WWW-Authenticate: " CHALLENGE "\r\n");
  g_string_append (many, "-------q1w2e3$\r\n");
  too_many = parse_str (many->str, &error);
  g_assert_no_error (error);
  values = hail_msrp_relay_dup_challenges (too_many, &error);
  g_assert_null (values);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_path_compose (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpMessage) m = response ("Use-Path: msrps://127.0.0.1:5061/u1;tcp\r\n"
                                           "Expires: 60\r\n", &error);
  const char *peer[] = { "msrps://127.0.0.1:5062/u2;tcp", "msrp://127.0.0.1:41000/bob;tcp", NULL };
  g_autoptr(GPtrArray) use_path = NULL;
  g_autoptr(GPtrArray) peer_path = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) to_path = NULL;
  g_autoptr(GPtrArray) local = hail_msrp_path_concat (NULL, NULL);
  g_autofree char *a_path = NULL;
  g_autofree char *to = NULL;
  guint expires;

  g_assert_no_error (error);
  use_path = hail_msrp_relay_read_grant (m, &expires, &error);
  g_assert_no_error (error);
  g_ptr_array_add (local, hail_msrp_uri_parse (LOCAL, -1, NULL));
  /* RFC 4976 §6: our a=path is the Use-Path then us... */
  ours = hail_msrp_path_concat (use_path, local);
  a_path = hail_msrp_path_to_string (ours);
  g_assert_cmpstr (a_path, ==, "msrps://127.0.0.1:5061/u1;tcp " LOCAL);
  /* ...and To-Path our relay, then the peer's a=path, its relay first. */
  peer_path = hail_msrp_path_parse (peer, &error);
  g_assert_no_error (error);
  to_path = hail_msrp_path_concat (use_path, peer_path);
  to = hail_msrp_path_to_string (to_path);
  g_assert_cmpstr (to, ==, "msrps://127.0.0.1:5061/u1;tcp msrps://127.0.0.1:5062/u2;tcp "
                           "msrp://127.0.0.1:41000/bob;tcp");
}

static void
test_path_parse_bad (void)
{
  const char *empty[] = { NULL };
  const char *no_session[] = { "msrps://127.0.0.1:5062/u2;tcp", "msrp://127.0.0.1:41000;tcp",
                               NULL };
  const char *udp[] = { "msrps://127.0.0.1:5062/u2;udp", "msrp://127.0.0.1:41000/b;tcp", NULL };
  const char *garbage[] = { "msrps://127.0.0.1:5062/u2;tcp", "msrp:/x", NULL };
  const char *relay_without_session[] = { "msrps://127.0.0.1:5062;tcp",
                                          "msrp://127.0.0.1:41000/b;tcp", NULL };
  const char *many[HAIL_MSRP_MAX_PATH_URIS + 2];
  const char *const *bad[] = { empty, no_session, udp, garbage, many };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ok = NULL;

  for (int i = 0; i <= HAIL_MSRP_MAX_PATH_URIS; i++)
    many[i] = "msrp://127.0.0.1:41000/b;tcp";
  many[HAIL_MSRP_MAX_PATH_URIS + 1] = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) path = hail_msrp_path_parse (bad[i], &error);

      g_assert_null (path);
      g_assert_nonnull (error);
      g_assert_true (error->domain == HAIL_SIP_ERROR);
      g_clear_error (&error);
    }
  /* Only the peer must name a session; a relay hop need not. */
  ok = hail_msrp_path_parse (relay_without_session, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok->len, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/msrp-relay/uri", test_uri);
  g_test_add_func ("/sip/msrp-relay/auth/build", test_auth_build);
  g_test_add_func ("/sip/msrp-relay/auth/first", test_auth_first);
  g_test_add_func ("/sip/msrp-relay/auth/parse-strict", test_auth_parse_strict);
  g_test_add_func ("/sip/msrp-relay/grant/good", test_grant_good);
  g_test_add_func ("/sip/msrp-relay/grant/bad", test_grant_bad);
  g_test_add_func ("/sip/msrp-relay/grant/too-many-hops", test_grant_too_many_hops);
  g_test_add_func ("/sip/msrp-relay/challenges", test_challenges);
  g_test_add_func ("/sip/msrp-relay/path/compose", test_path_compose);
  g_test_add_func ("/sip/msrp-relay/path/parse-bad", test_path_parse_bad);

  return g_test_run ();
}
