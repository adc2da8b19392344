/* test-auth.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client credential cache: which headers it answers with, nonce
 * counting, stale nonces, refused passwords and several realms.
 */
#include "config.h"

#include "hail-sip-auth.h"
#include "hail-sip-digest.h"
#include "hail-sip-error.h"

#include <string.h>

#define PASSWORD "alice-secret"

static const HailSipAuthRequest register_request = {
  .method = "REGISTER", .uri = "sip:example.test", .body = NULL, .body_len = 0,
};

static char *
md5_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_MD5, text, -1);
}

/* Recomputes an MD5 answer with GLib's MD5, independently of the code under
 * test, and checks the header's response against it. */
static void
assert_md5_answer (const char               *value,
                   const char               *user,
                   const char               *password,
                   const HailSipAuthRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipDigestCredentials) c = hail_sip_digest_parse_credentials (value, strlen (value),
                                                                             &error);
  g_autofree char *a1 = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *kd = NULL;
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (c->username, ==, user);
  g_assert_cmpstr (c->uri, ==, request->uri);
  a1 = g_strdup_printf ("%s:%s:%s", user, c->realm, password);
  ha1 = md5_hex (a1);
  if (g_strcmp0 (c->qop, "auth-int") == 0)
    {
      g_autofree char *hbody = g_compute_checksum_for_data (G_CHECKSUM_MD5,
                                                            request->body != NULL
                                                              ? request->body
                                                              : (const guint8 *) "",
                                                            request->body_len);

      a2 = g_strdup_printf ("%s:%s:%s", request->method, request->uri, hbody);
    }
  else
    {
      a2 = g_strdup_printf ("%s:%s", request->method, request->uri);
    }
  ha2 = md5_hex (a2);
  if (c->qop != NULL)
    kd = g_strdup_printf ("%s:%s:%s:%s:%s:%s", ha1, c->nonce, c->nc, c->cnonce, c->qop, ha2);
  else
    kd = g_strdup_printf ("%s:%s:%s", ha1, c->nonce, ha2);
  expected = md5_hex (kd);
  g_assert_cmpstr (c->response, ==, expected);
}

static HailSipDigestCredentials *
credentials_of (HailSipAuthHeader *header)
{
  return hail_sip_digest_parse_credentials (header->value, strlen (header->value), NULL);
}

/* Answers @challenge to a REGISTER that carried @sent. */
static GPtrArray *
respond_to (HailSipAuth     *auth,
            HailSipAuthKind  kind,
            const char      *challenge,
            GPtrArray       *sent)
{
  const char *values[] = { challenge, NULL };
  HailSipAuthRequest request = register_request;
  g_autoptr(GError) error = NULL;
  GPtrArray *headers;

  request.sent = sent;
  headers = hail_sip_auth_respond (auth, kind, values, &request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (headers);
  return headers;
}

static GPtrArray *
respond_ok (HailSipAuth     *auth,
            HailSipAuthKind  kind,
            const char      *challenge)
{
  return respond_to (auth, kind, challenge, NULL);
}

static void
respond_fails (HailSipAuth     *auth,
               HailSipAuthKind  kind,
               const char      *challenge,
               GPtrArray       *sent,
               HailSipError     code)
{
  const char *values[] = { challenge, NULL };
  HailSipAuthRequest request = register_request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = NULL;

  request.sent = sent;
  headers = hail_sip_auth_respond (auth, kind, values, &request, &error);

  g_assert_error (error, HAIL_SIP_ERROR, (gint) code);
  g_assert_null (headers);
  g_assert_null (strstr (error->message, PASSWORD));
}

static void
test_answers_401 (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) headers =
    respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                "Digest realm=\"example.test\", nonce=\"n1\", qop=\"auth\", opaque=\"\"");
  HailSipAuthHeader *header = g_ptr_array_index (headers, 0);
  g_autoptr(HailSipDigestCredentials) c = credentials_of (header);

  g_assert_cmpuint (headers->len, ==, 1);
  g_assert_cmpstr (header->name, ==, "Authorization");
  g_assert_cmpstr (header->realm, ==, "example.test");
  g_assert_cmpstr (c->nc, ==, "00000001");
  g_assert_cmpstr (c->qop, ==, "auth");
  g_assert_cmpstr (c->opaque, ==, "");
  g_assert_null (c->algorithm);
  assert_md5_answer (header->value, "alice", PASSWORD, &register_request);
  g_assert_finalize_object (g_steal_pointer (&auth));
}

static void
test_answers_407 (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) headers = respond_ok (auth, HAIL_SIP_AUTH_KIND_PROXY,
                                             "Digest realm=\"proxy.test\", nonce=\"p1\"");
  HailSipAuthHeader *header = g_ptr_array_index (headers, 0);

  g_assert_cmpstr (header->name, ==, "Proxy-Authorization");
  assert_md5_answer (header->value, "alice", PASSWORD, &register_request);
}

static void
test_auth_user (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", "1001", PASSWORD);
  g_autoptr(HailSipAuth) empty = hail_sip_auth_new ("alice", "", PASSWORD);
  g_autoptr(GPtrArray) headers = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                             "Digest realm=\"r\", nonce=\"n\"");
  g_autoptr(GPtrArray) empty_headers = respond_ok (empty, HAIL_SIP_AUTH_KIND_WWW,
                                                   "Digest realm=\"r\", nonce=\"n\"");

  g_assert_cmpstr (hail_sip_auth_get_auth_user (auth), ==, "1001");
  assert_md5_answer (((HailSipAuthHeader *) headers->pdata[0])->value, "1001", PASSWORD,
                     &register_request);
  g_assert_null (hail_sip_auth_get_auth_user (empty));
  assert_md5_answer (((HailSipAuthHeader *) empty_headers->pdata[0])->value, "alice", PASSWORD,
                     &register_request);
}

/* RFC 7616 §3.4: each reuse of a nonce counts up, with a fresh cnonce. */
static void
test_nc_increments (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n\", qop=auth");
  g_autoptr(GPtrArray) second = hail_sip_auth_authorize (auth, &register_request, NULL);
  g_autoptr(GPtrArray) third = hail_sip_auth_authorize (auth, &register_request, NULL);
  g_autoptr(HailSipDigestCredentials) c1 = credentials_of (first->pdata[0]);
  g_autoptr(HailSipDigestCredentials) c2 = credentials_of (second->pdata[0]);
  g_autoptr(HailSipDigestCredentials) c3 = credentials_of (third->pdata[0]);

  g_assert_cmpstr (c1->nc, ==, "00000001");
  g_assert_cmpstr (c2->nc, ==, "00000002");
  g_assert_cmpstr (c3->nc, ==, "00000003");
  g_assert_cmpstr (c2->nonce, ==, "n");
  g_assert_cmpstr (c1->cnonce, !=, c2->cnonce);
  g_assert_cmpstr (c2->cnonce, !=, c3->cnonce);
  assert_md5_answer (((HailSipAuthHeader *) third->pdata[0])->value, "alice", PASSWORD,
                     &register_request);
}

static void
test_authorize_empty_cache (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = hail_sip_auth_authorize (auth, &register_request, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 0);
}

/* A new nonce resets nc to 1. */
static void
test_new_nonce_resets_nc (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n1\", qop=auth");
  g_autoptr(GPtrArray) pre = hail_sip_auth_authorize (auth, &register_request, NULL);
  g_autoptr(GPtrArray) second = respond_to (auth, HAIL_SIP_AUTH_KIND_WWW,
                                            "Digest realm=\"r\", nonce=\"n2\", qop=auth", pre);
  g_autoptr(HailSipDigestCredentials) c = credentials_of (second->pdata[0]);

  g_assert_cmpuint (first->len, ==, 1);
  g_assert_true (((HailSipAuthHeader *) pre->pdata[0])->preauthorised);
  g_assert_cmpuint (((HailSipAuthHeader *) pre->pdata[0])->attempt, ==, 0);
  g_assert_cmpstr (c->nonce, ==, "n2");
  g_assert_cmpstr (c->nc, ==, "00000001");
  g_assert_cmpuint (((HailSipAuthHeader *) second->pdata[0])->attempt, ==, 1);
}

/* stale=true: the password was right, retry at once with the new nonce. */
static void
test_stale_retries (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"old\", qop=auth");
  g_autoptr(GPtrArray) second =
    respond_to (auth, HAIL_SIP_AUTH_KIND_WWW,
                "Digest realm=\"r\", nonce=\"new\", qop=auth, stale=TRUE", first);
  g_autoptr(HailSipDigestCredentials) c = credentials_of (second->pdata[0]);

  g_assert_cmpstr (c->nonce, ==, "new");
  g_assert_cmpstr (c->nc, ==, "00000001");
  g_assert_cmpuint (((HailSipAuthHeader *) second->pdata[0])->attempt, ==, 2);
  assert_md5_answer (((HailSipAuthHeader *) second->pdata[0])->value, "alice", PASSWORD,
                     &register_request);
}

/* The nonce we answered, challenged again without stale: wrong password. */
static void
test_same_nonce_rejected (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n\"");
  g_autoptr(GPtrArray) pre = NULL;

  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"n\"", first,
                 HAIL_SIP_ERROR_AUTH_REJECTED);
  /* And it stays stopped: no pre-authorisation, no answer to a new request. */
  pre = hail_sip_auth_authorize (auth, &register_request, NULL);
  g_assert_cmpuint (pre->len, ==, 0);
  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"m\"", NULL,
                 HAIL_SIP_ERROR_AUTH_REJECTED);
}

/* RFC 7616 §3.3: servers such as Kamailio refuse a password with a fresh
 * nonce and no stale flag. */
static void
test_new_nonce_after_answer_rejected (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n\"");

  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"fresh\"", first,
                 HAIL_SIP_ERROR_AUTH_REJECTED);
}

/* A pre-authorisation with the cached nonce, refused with that same nonce:
 * the password was changed on the server. */
static void
test_preauthorised_same_nonce_rejected (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n\"");
  g_autoptr(GPtrArray) pre = hail_sip_auth_authorize (auth, &register_request, NULL);

  g_assert_cmpuint (first->len, ==, 1);
  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"n\"", pre,
                 HAIL_SIP_ERROR_AUTH_REJECTED);
}

static void
test_same_nonce_stale_not_rejected (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n\"");
  g_autoptr(GPtrArray) second = respond_to (auth, HAIL_SIP_AUTH_KIND_WWW,
                                            "Digest realm=\"r\", nonce=\"n\", stale=true", first);

  g_assert_cmpuint (second->len, ==, 1);
}

/* Two requests challenged at once may get the same nonce; answering the
 * second is not a retry of the first. */
static void
test_parallel_requests (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n\"");
  g_autoptr(GPtrArray) second = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                            "Digest realm=\"r\", nonce=\"n\"");

  g_assert_cmpuint (first->len, ==, 1);
  g_assert_cmpuint (second->len, ==, 1);
}

/* A challenge for another realm than the one answered is no refusal. */
static void
test_other_realm_not_rejected (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_PROXY,
                                           "Digest realm=\"outer\", nonce=\"1\"");
  g_autoptr(GPtrArray) second = respond_to (auth, HAIL_SIP_AUTH_KIND_PROXY,
                                            "Digest realm=\"inner\", nonce=\"2\"", first);

  g_assert_cmpstr (((HailSipAuthHeader *) second->pdata[0])->realm, ==, "inner");
}

/* A new password after a refusal starts afresh. */
static void
test_set_password_after_rejection (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, "wrong");
  g_autoptr(GPtrArray) first = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                           "Digest realm=\"r\", nonce=\"n\"");
  g_autoptr(GPtrArray) second = NULL;

  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"n\"", first,
                 HAIL_SIP_ERROR_AUTH_REJECTED);
  hail_sip_auth_set_password (auth, PASSWORD);
  second = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"n\"");
  assert_md5_answer (((HailSipAuthHeader *) second->pdata[0])->value, "alice", PASSWORD,
                     &register_request);
}

/* A server that re-challenges forever, even with stale=true, is given up on. */
static void
test_attempts_bounded (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) sent = NULL;

  for (guint i = 0; i < HAIL_SIP_AUTH_MAX_ATTEMPTS; i++)
    {
      g_autofree char *value = g_strdup_printf ("Digest realm=\"r\", nonce=\"n%u\", stale=true", i);
      GPtrArray *headers = respond_to (auth, HAIL_SIP_AUTH_KIND_WWW, value, sent);

      g_assert_cmpuint (headers->len, ==, 1);
      g_clear_pointer (&sent, g_ptr_array_unref);
      sent = headers;
    }
  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"last\", stale=true",
                 sent, HAIL_SIP_ERROR_AUTH_REJECTED);
}

/* Credentials are cached per realm, and 401 and 407 realms kept apart. */
static void
test_realm_cache (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  g_autoptr(GPtrArray) www = respond_ok (auth, HAIL_SIP_AUTH_KIND_WWW,
                                         "Digest realm=\"registrar\", nonce=\"w\"");
  g_autoptr(GPtrArray) proxy = respond_ok (auth, HAIL_SIP_AUTH_KIND_PROXY,
                                           "Digest realm=\"proxy\", nonce=\"p\", qop=auth");
  HailSipAuthRequest invite = { .method = "INVITE", .uri = "sip:bob@example.test" };
  g_autoptr(GPtrArray) pre = hail_sip_auth_authorize (auth, &invite, NULL);
  HailSipAuthHeader *h0;
  HailSipAuthHeader *h1;

  /* Each challenge is answered alone; the cache then answers both. */
  g_assert_cmpuint (www->len, ==, 1);
  g_assert_cmpuint (proxy->len, ==, 1);
  g_assert_cmpuint (pre->len, ==, 2);
  h0 = g_ptr_array_index (pre, 0);
  h1 = g_ptr_array_index (pre, 1);
  g_assert_cmpstr (h0->name, ==, "Authorization");
  g_assert_cmpstr (h0->realm, ==, "registrar");
  g_assert_cmpstr (h1->name, ==, "Proxy-Authorization");
  g_assert_cmpstr (h1->realm, ==, "proxy");
  assert_md5_answer (h0->value, "alice", PASSWORD, &invite);
  assert_md5_answer (h1->value, "alice", PASSWORD, &invite);
}

/* RFC 3261 §22.3: two proxies on the path, one Proxy-Authenticate each. */
static void
test_several_realms (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  const char *values[] = {
    "Digest realm=\"first\", nonce=\"1\"",
    "Digest realm=\"second\", nonce=\"2\", qop=\"auth\"",
    NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_PROXY, values,
                                                        &register_request, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 2);
  g_assert_cmpstr (((HailSipAuthHeader *) headers->pdata[0])->realm, ==, "first");
  g_assert_cmpstr (((HailSipAuthHeader *) headers->pdata[1])->realm, ==, "second");
  for (guint i = 0; i < headers->len; i++)
    {
      HailSipAuthHeader *header = g_ptr_array_index (headers, i);

      g_assert_cmpstr (header->name, ==, "Proxy-Authorization");
      assert_md5_answer (header->value, "alice", PASSWORD, &register_request);
    }
}

/* RFC 8760 §2.4: the strongest algorithm offered for a realm, across headers. */
static void
test_strongest_pick (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  const char *values[] = {
    "Digest realm=\"r\", nonce=\"a\", algorithm=MD5, qop=auth",
    "Digest realm=\"r\", nonce=\"b\", algorithm=SHA-256, qop=auth, "
    "Digest realm=\"r\", nonce=\"c\", algorithm=SHA-1, qop=auth",
    NULL,
  };
  g_autoptr(GPtrArray) headers = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_WWW, values,
                                                        &register_request, NULL);
  g_autoptr(HailSipDigestCredentials) c = credentials_of (headers->pdata[0]);

  g_assert_cmpuint (headers->len, ==, 1);
  g_assert_cmpstr (c->algorithm, ==, "SHA-256");
  g_assert_cmpstr (c->nonce, ==, "b");
  g_assert_cmpuint (strlen (c->response), ==, 64);
}

static void
test_unsupported (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  const char *none[] = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = NULL;

  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Basic realm=\"r\"", NULL,
                 HAIL_SIP_ERROR_AUTH_UNSUPPORTED);
  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1",
                 NULL, HAIL_SIP_ERROR_AUTH_UNSUPPORTED);
  respond_fails (auth, HAIL_SIP_AUTH_KIND_WWW, "Digest realm=\"unterminated", NULL,
                 HAIL_SIP_ERROR_AUTH_UNSUPPORTED);
  headers = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_WWW, none, &register_request, &error);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_UNSUPPORTED);
  g_assert_null (headers);
}

/* One unreadable header does not hide a good one beside it. */
static void
test_garbage_beside_good (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  const char *values[] = { "Digest realm=\"r\" nonce=", "Digest realm=\"r\", nonce=\"n\"", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) headers = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_WWW, values,
                                                        &register_request, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (headers->len, ==, 1);
}

static void
test_want_integrity (void)
{
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, PASSWORD);
  static const char body[] = "v=0\r\ns=-\r\n";
  HailSipAuthRequest invite = {
    .method = "INVITE", .uri = "sip:bob@example.test",
    .body = (const guint8 *) body, .body_len = sizeof body - 1,
  };
  const char *values[] = { "Digest realm=\"r\", nonce=\"n\", qop=\"auth,auth-int\"", NULL };
  g_autoptr(GPtrArray) plain = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_PROXY, values,
                                                      &invite, NULL);
  g_autoptr(GPtrArray) integrity = NULL;
  g_autoptr(HailSipDigestCredentials) c_plain = credentials_of (plain->pdata[0]);
  g_autoptr(HailSipDigestCredentials) c_int = NULL;

  g_assert_cmpstr (c_plain->qop, ==, "auth");
  hail_sip_auth_set_want_integrity (auth, TRUE);
  g_assert_true (hail_sip_auth_get_want_integrity (auth));
  values[0] = "Digest realm=\"r\", nonce=\"m\", qop=\"auth,auth-int\"";
  integrity = hail_sip_auth_respond (auth, HAIL_SIP_AUTH_KIND_PROXY, values, &invite, NULL);
  c_int = credentials_of (integrity->pdata[0]);
  g_assert_cmpstr (c_int->qop, ==, "auth-int");
  assert_md5_answer (((HailSipAuthHeader *) integrity->pdata[0])->value, "alice", PASSWORD,
                     &invite);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/auth/answers-401", test_answers_401);
  g_test_add_func ("/sip/auth/answers-407", test_answers_407);
  g_test_add_func ("/sip/auth/auth-user", test_auth_user);
  g_test_add_func ("/sip/auth/nc-increments", test_nc_increments);
  g_test_add_func ("/sip/auth/authorize-empty-cache", test_authorize_empty_cache);
  g_test_add_func ("/sip/auth/new-nonce-resets-nc", test_new_nonce_resets_nc);
  g_test_add_func ("/sip/auth/stale-retries", test_stale_retries);
  g_test_add_func ("/sip/auth/same-nonce-rejected", test_same_nonce_rejected);
  g_test_add_func ("/sip/auth/new-nonce-after-answer-rejected",
                   test_new_nonce_after_answer_rejected);
  g_test_add_func ("/sip/auth/preauthorised-same-nonce-rejected",
                   test_preauthorised_same_nonce_rejected);
  g_test_add_func ("/sip/auth/same-nonce-stale-not-rejected", test_same_nonce_stale_not_rejected);
  g_test_add_func ("/sip/auth/parallel-requests", test_parallel_requests);
  g_test_add_func ("/sip/auth/other-realm-not-rejected", test_other_realm_not_rejected);
  g_test_add_func ("/sip/auth/set-password-after-rejection", test_set_password_after_rejection);
  g_test_add_func ("/sip/auth/attempts-bounded", test_attempts_bounded);
  g_test_add_func ("/sip/auth/realm-cache", test_realm_cache);
  g_test_add_func ("/sip/auth/several-realms", test_several_realms);
  g_test_add_func ("/sip/auth/strongest-pick", test_strongest_pick);
  g_test_add_func ("/sip/auth/unsupported", test_unsupported);
  g_test_add_func ("/sip/auth/garbage-beside-good", test_garbage_beside_good);
  g_test_add_func ("/sip/auth/want-integrity", test_want_integrity);
  return g_test_run ();
}
