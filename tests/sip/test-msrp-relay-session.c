/* test-msrp-relay-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailMsrpSession through a relay (RFC 4976) on loopback: a small relay in
 * the test, over TLS with the test CA's certificate, challenges AUTH with
 * digest and checks the answer with Hail's own digest code, grants a
 * Use-Path that expires in two seconds, and speaks for a peer behind it.
 * Cases: the grant, the paths, a message both ways and the AUTH again
 * before the grant expires; a wrong password; an untrusted certificate;
 * a relay nobody listens at.
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-builder.h"
#include "hail-msrp-connection.h"
#include "hail-msrp-relay.h"
#include "hail-sip-digest.h"
#include "hail-sip-error.h"
#include "hail-sip-tls-context.h"
#include "hail-test-util.h"
#include "test-msrp-util.h"

#define REALM "relay.test"
#define PEER "msrp://127.0.0.1:9/peer0001;tcp"

static char *cert_dir;

typedef struct {
  GSocketListener    *listener;
  guint16             port;
  char               *uri;         /* msrps://127.0.0.1:PORT;tcp */
  char               *use_path;    /* What it grants. */
  HailSipTlsContext  *server;
  HailMsrpConnection *connection;
  const char         *password;    /* alice's, as the relay knows it */
  guint               n_auth;
  guint               n_granted;
  GPtrArray          *sends;       /* HailMsrpMessage* */
} Relay;

/* One hop, which may be a relay's URI without a session-id. */
static GPtrArray *
path_of (const char *uri)
{
  GPtrArray *path = hail_msrp_path_concat (NULL, NULL);

  g_ptr_array_add (path, hail_msrp_uri_parse (uri, -1, NULL));
  return path;
}

static void
relay_respond (Relay           *relay,
               HailMsrpMessage *request,
               guint            code,
               const char      *comment,
               const char      *headers[])
{
  g_autofree char *tid = hail_sip_span_dup (hail_msrp_message_get_transaction_id (request));
  HailMsrpBuilder *b = hail_msrp_builder_new_response (tid, code, comment);
  g_autoptr(GPtrArray) from = path_of (relay->uri);
  g_autoptr(GBytes) frame = NULL;

  hail_msrp_builder_set_to_path (b, hail_msrp_message_get_from_path (request));
  hail_msrp_builder_set_from_path (b, from);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    hail_msrp_builder_add_header (b, headers[i], headers[i + 1]);
  frame = hail_msrp_builder_finish (b, NULL, NULL, 0, HAIL_MSRP_CONTINUATION_COMPLETE, NULL);
  hail_msrp_connection_send (relay->connection, frame);
}

static char *
challenge_for (const char *nonce)
{
  return g_strdup_printf ("Digest realm=\"" REALM "\", nonce=\"%s\", qop=\"auth\", "
                          "algorithm=SHA-256", nonce);
}

/* Whether @value answers our challenge for alice with the relay's idea of
 * her password, as a relay checks it. */
static gboolean
digest_ok (Relay      *relay,
           HailSipSpan value)
{
  g_autoptr(HailSipDigestCredentials) creds = NULL;
  g_autoptr(GPtrArray) challenges = NULL;
  g_autofree char *challenge = NULL;
  g_autofree char *expected = NULL;
  HailSipDigestInput input = { 0 };

  creds = hail_sip_digest_parse_credentials (value.ptr, value.len, NULL);
  if (creds == NULL || creds->nonce == NULL || creds->nc == NULL || creds->cnonce == NULL)
    return FALSE;
  challenge = challenge_for (creds->nonce);
  challenges = hail_sip_digest_parse_challenges (challenge, strlen (challenge), NULL);
  input.username = "alice";
  input.password = relay->password;
  input.method = "AUTH";
  input.uri = creds->uri;
  input.qop = HAIL_SIP_DIGEST_QOP_AUTH;
  input.nc = (guint32) g_ascii_strtoull (creds->nc, NULL, 16);
  expected = hail_sip_digest_response (challenges->pdata[0], &input, creds->cnonce, NULL);
  return g_strcmp0 (creds->username, "alice") == 0 && g_strcmp0 (creds->uri, relay->uri) == 0
         && g_strcmp0 (expected, creds->response) == 0;
}

/* What the peer behind the relay says once the session is bound. */
static void
relay_speak_for_peer (Relay           *relay,
                      HailMsrpMessage *bind)
{
  HailMsrpBuilder *b = hail_msrp_builder_new_request (NULL, "SEND");
  g_autoptr(GPtrArray) from = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);
  GPtrArray *client = hail_msrp_message_get_from_path (bind);
  g_autoptr(GBytes) frame = NULL;
  HailMsrpByteRange range = { 1, 5, 5 };

  /* RFC 4976 §7.3.1: the relay put itself before the peer in From-Path. */
  g_ptr_array_add (from, hail_msrp_uri_parse (relay->use_path, -1, NULL));
  g_ptr_array_add (from, hail_msrp_uri_parse (PEER, -1, NULL));
  hail_msrp_builder_set_to_path (b, client);
  hail_msrp_builder_set_from_path (b, from);
  hail_msrp_builder_add_header (b, "Message-ID", "peer0001msg");
  hail_msrp_builder_add_byte_range (b, &range);
  frame = hail_msrp_builder_finish (b, "text/plain", (const guint8 *) "hello", 5,
                                    HAIL_MSRP_CONTINUATION_COMPLETE, NULL);
  hail_msrp_connection_send (relay->connection, frame);
}

static void
relay_message_cb (HailMsrpConnection *connection,
                  HailMsrpMessage    *message,
                  Relay              *relay)
{
  if (hail_msrp_message_get_kind (message) != HAIL_MSRP_MESSAGE_KIND_REQUEST)
    return;
  if (hail_msrp_message_get_method (message) == HAIL_MSRP_METHOD_AUTH)
    {
      HailSipSpan authorization = hail_msrp_message_get_header_value (message, "Authorization");

      relay->n_auth++;
      if (hail_sip_span_present (authorization) && digest_ok (relay, authorization))
        {
          const char *grant[] = { "Use-Path", relay->use_path, "Expires", "2", NULL };

          relay->n_granted++;
          relay_respond (relay, message, 200, "OK", grant);
        }
      else
        {
          g_autofree char *nonce = g_strdup_printf ("nonce%04u", relay->n_auth);
          g_autofree char *challenge = challenge_for (nonce);
          const char *headers[] = { "WWW-Authenticate", challenge, NULL };

          relay_respond (relay, message, 401, "Unauthorized", headers);
        }
      return;
    }
  if (hail_msrp_message_get_method (message) == HAIL_MSRP_METHOD_SEND)
    {
      g_ptr_array_add (relay->sends, hail_msrp_message_ref (message));
      relay_respond (relay, message, 200, "OK", NULL);
      if (relay->sends->len == 1)
        relay_speak_for_peer (relay, message);
    }
}

static void
relay_accept_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Relay *relay = user_data;
  g_autoptr(GSocketConnection) socket = NULL;
  g_autoptr(HailSipTlsSession) tls = NULL;

  socket = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, NULL);
  if (socket == NULL || relay->connection != NULL)
    return;
  tls = hail_sip_tls_session_new (relay->server, NULL, NULL);
  relay->connection = hail_msrp_connection_new (socket, tls, "test relay");
  g_signal_connect (relay->connection, "message", G_CALLBACK (relay_message_cb), relay);
  hail_msrp_connection_start (relay->connection);
}

static void
relay_init (Relay      *relay,
            const char *password)
{
  g_autofree char *crt = g_build_filename (cert_dir, "server.crt", NULL);
  g_autofree char *key = g_build_filename (cert_dir, "server.key", NULL);
  g_autoptr(GError) error = NULL;

  relay->server = hail_sip_tls_context_new_server (crt, key, &error);
  g_assert_no_error (error);
  relay->listener = g_socket_listener_new ();
  relay->port = g_socket_listener_add_any_inet_port (relay->listener, NULL, &error);
  g_assert_no_error (error);
  relay->uri = g_strdup_printf ("msrps://127.0.0.1:%u;tcp", relay->port);
  relay->use_path = g_strdup_printf ("msrps://127.0.0.1:%u/grant0001;tcp", relay->port);
  relay->password = password;
  relay->sends = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_message_unref);
  g_socket_listener_accept_async (relay->listener, NULL, relay_accept_cb, relay);
}

static void
relay_clear (Relay *relay)
{
  g_socket_listener_close (relay->listener);
  if (relay->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (relay->connection, relay);
      hail_msrp_connection_close (relay->connection);
    }
  /* Let the cancelled accept and reads come back. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&relay->connection);
  g_clear_object (&relay->listener);
  g_clear_object (&relay->server);
  g_clear_pointer (&relay->sends, g_ptr_array_unref);
  g_free (relay->uri);
  g_free (relay->use_path);
}

static HailSipTlsContext *
client_tls (gboolean trusted)
{
  g_autofree char *ca = g_build_filename (cert_dir, trusted ? "ca.crt" : "other-ca.crt", NULL);
  g_autoptr(GError) error = NULL;
  HailSipTlsContext *context = hail_sip_tls_context_new_client (ca, &error);

  g_assert_no_error (error);
  return context;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MsrpTestResult *r = user_data;

  r->ok = hail_msrp_session_connect_relay_finish (HAIL_MSRP_SESSION (source), result, &r->error);
  r->done = TRUE;
}

/* Connects @peer's session to @relay_uri as alice with @password. */
static void
connect_relay (MsrpTestPeer   *peer,
               const char     *relay_uri,
               const char     *password,
               gboolean        trusted,
               MsrpTestResult *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpUri) uri = hail_msrp_relay_parse_uri (relay_uri, &error);
  g_autoptr(HailSipAuth) auth = hail_sip_auth_new ("alice", NULL, password);
  g_autoptr(HailSipTlsContext) tls = client_tls (trusted);

  g_assert_no_error (error);
  hail_msrp_session_connect_relay_async (peer->session, uri, auth, tls, NULL, connected_cb, r);
  g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, r, MSRP_TEST_WAIT_MS));
}

static gboolean
granted_twice_cb (gpointer data)
{
  return ((Relay *) data)->n_granted >= 2;
}

static void
test_through_relay (void)
{
  Relay relay = { 0 };
  MsrpTestPeer a = { 0 };
  MsrpTestResult r = { 0 };
  MsrpTestResult sent = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GBytes) text = g_bytes_new_static ("hi there", 8);
  g_autoptr(HailMsrpOutgoing) message = NULL;
  const char *peer[] = { PEER, NULL };
  HailMsrpMessage *bind;
  HailMsrpUri *local;
  GPtrArray *from;

  relay_init (&relay, "s3cret");
  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  connect_relay (&a, relay.uri, "s3cret", TRUE, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  /* One 401, then the answer. */
  g_assert_cmpuint (relay.n_auth, ==, 2);
  g_assert_cmpuint (relay.n_granted, ==, 1);
  /* RFC 4976 §6: a=path is the Use-Path then our URI; nothing to pin. */
  local = hail_msrp_session_get_local_uri (a.session);
  expected = g_strdup_printf ("%s %s", relay.use_path, hail_msrp_uri_to_string (local));
  g_assert_cmpstr (hail_msrp_session_get_local_path (a.session), ==, expected);
  g_assert_null (hail_msrp_session_get_fingerprint (a.session));

  /* Passive or not, we speak first: the relay opens nothing towards us. */
  g_assert_true (hail_msrp_session_set_remote_path (a.session, peer, &error));
  g_assert_true (hail_msrp_session_start (a.session, HAIL_SDP_SETUP_PASSIVE, &error));
  g_assert_no_error (error);
  g_assert_true (msrp_test_wait_state (a.session, HAIL_MSRP_SESSION_STATE_READY));
  g_assert_true (hail_test_wait_count (relay.sends, 1, MSRP_TEST_WAIT_MS));
  bind = relay.sends->pdata[0];
  to = hail_msrp_path_to_string (hail_msrp_message_get_to_path (bind));
  g_assert_true (g_str_has_prefix (to, relay.use_path));
  g_assert_true (g_str_has_suffix (to, " " PEER));
  from = hail_msrp_message_get_from_path (bind);
  g_assert_cmpuint (from->len, ==, 1);
  g_assert_true (hail_msrp_uri_equal (from->pdata[0], hail_msrp_session_get_local_uri (a.session)));

  /* The peer's message comes through the relay, with the relay in its
   * From-Path, and ours goes out on the relay's connection. */
  g_assert_true (hail_test_wait_count (a.messages, 1, MSRP_TEST_WAIT_MS));
  g_assert_cmpmem (g_bytes_get_data (a.messages->pdata[0], NULL),
                   g_bytes_get_size (a.messages->pdata[0]), "hello", 5);
  message = hail_msrp_session_new_outgoing (a.session, "text/plain", text);
  msrp_test_send_and_wait (a.session, message, &sent);
  g_assert_no_error (sent.error);
  g_assert_cmpuint (relay.sends->len, ==, 2);

  /* Expires 2: AUTH again on the same connection before it runs out. */
  g_assert_true (hail_test_wait_until (granted_twice_cb, &relay, MSRP_TEST_WAIT_MS));
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==, HAIL_MSRP_SESSION_STATE_READY);

  msrp_test_peer_clear (&a);
  relay_clear (&relay);
}

static void
test_wrong_password (void)
{
  Relay relay = { 0 };
  MsrpTestPeer a = { 0 };
  MsrpTestResult r = { 0 };

  relay_init (&relay, "s3cret");
  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  connect_relay (&a, relay.uri, "wrong", TRUE, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED);
  g_assert_nonnull (strstr (r.error->message, relay.uri));
  g_assert_nonnull (strstr (r.error->message, "password was refused"));
  g_assert_cmpuint (relay.n_granted, ==, 0);
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==, HAIL_MSRP_SESSION_STATE_FAILED);
  g_clear_error (&r.error);

  msrp_test_peer_clear (&a);
  relay_clear (&relay);
}

static void
test_untrusted (void)
{
  Relay relay = { 0 };
  MsrpTestPeer a = { 0 };
  MsrpTestResult r = { 0 };

  relay_init (&relay, "s3cret");
  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  connect_relay (&a, relay.uri, "s3cret", FALSE, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  g_assert_nonnull (strstr (r.error->message, relay.uri));
  g_assert_nonnull (strstr (r.error->message, "certificate subject: "));
  g_assert_cmpuint (relay.n_auth, ==, 0);
  g_clear_error (&r.error);

  msrp_test_peer_clear (&a);
  relay_clear (&relay);
}

static void
test_unreachable (void)
{
  Relay relay = { 0 };
  MsrpTestPeer a = { 0 };
  MsrpTestResult r = { 0 };
  g_autofree char *uri = NULL;

  /* A port that was ours a moment ago and that nobody listens at now. */
  relay_init (&relay, "s3cret");
  uri = g_strdup (relay.uri);
  relay_clear (&relay);
  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  connect_relay (&a, uri, "s3cret", TRUE, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (r.error->message, uri));
  g_clear_error (&r.error);

  msrp_test_peer_clear (&a);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  cert_dir = hail_test_make_certificates ("hail-msrp-relay-XXXXXX");

  g_test_add_func ("/sip/msrp-relay/session/through-relay", test_through_relay);
  g_test_add_func ("/sip/msrp-relay/session/wrong-password", test_wrong_password);
  g_test_add_func ("/sip/msrp-relay/session/untrusted", test_untrusted);
  g_test_add_func ("/sip/msrp-relay/session/unreachable", test_unreachable);

  ret = g_test_run ();
  hail_test_remove_tree (cert_dir);
  g_free (cert_dir);
  return ret;
}
