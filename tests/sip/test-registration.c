/* test-registration.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailSipRegistration and the digest glue against a scripted registrar on
 * 127.0.0.1 UDP, and RFC 3263 lookups of numeric and local names. SRV
 * lookups and failing over between their targets need a DNS server: the
 * end-to-end tests run one in a network namespace (tests/e2e/test-dns.py).
 */
#include "config.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-registration.h"
#include "hail-sip-resolver.h"
#include "hail-sip-server-transaction.h"
#include "hail-test-util.h"
#include "test-stack-util.h"

#define INSTANCE "urn:uuid:00000000-0000-4000-8000-000000000001"

typedef struct {
  RawPeer             *peer;
  HailSipStack        *stack;
  HailSipAuth         *auth;
  HailSipRegistration *reg;
  gboolean             done;
  gboolean             ok;
  GError              *error;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *registrar_text = NULL;
  g_autoptr(HailSipUri) aor = hail_sip_uri_parse ("sip:alice@example.test", -1, NULL);
  g_autoptr(HailSipUri) registrar = NULL;

  f->peer = raw_peer_new ();
  f->stack = test_stack_new (FALSE);
  f->auth = hail_sip_auth_new ("alice", NULL, data != NULL ? data : "alice-secret");
  registrar_text = g_strdup_printf ("sip:127.0.0.1:%u",
                                    g_inet_socket_address_get_port (f->peer->address));
  registrar = hail_sip_uri_parse (registrar_text, -1, NULL);
  f->reg = hail_sip_registration_new (f->stack, f->auth, aor, registrar, INSTANCE);
  hail_sip_registration_set_expires (f->reg, 120);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_error (&f->error);
  g_assert_finalize_object (f->reg);
  g_object_unref (f->auth);
  g_object_unref (f->stack);
  raw_peer_free (f->peer);
}

static gboolean
is_registered (gpointer data)
{
  return hail_sip_registration_get_state (data) == HAIL_SIP_REGISTRATION_STATE_REGISTERED;
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_sip_registration_register_finish (HAIL_SIP_REGISTRATION (source), result,
                                                 &f->error);
  f->done = TRUE;
}

static void
unregister_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;

  f->ok = hail_sip_registration_unregister_finish (HAIL_SIP_REGISTRATION (source), result,
                                                   &f->error);
  f->done = TRUE;
}

static void
start (Fixture *f)
{
  f->done = FALSE;
  hail_sip_registration_register_async (f->reg, NULL, register_cb, f);
}

static void
finish (Fixture *f)
{
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
}

/* The index of the @n-th distinct REGISTER (by CSeq), waiting for it. */
static guint
wait_register (Fixture *f,
               guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      guint seen = 0;
      guint32 last = 0;

      for (guint i = 0; i < f->peer->received->len; i++)
        {
          Datagram *d = g_ptr_array_index (f->peer->received, i);
          const HailSipCSeq *cseq;

          if (d->message == NULL || !hail_sip_message_is_method (d->message, "REGISTER"))
            continue;
          cseq = hail_sip_message_get_cseq (d->message);
          if (seen > 0 && cseq->number == last)
            continue;
          last = cseq->number;
          if (++seen == n)
            return i;
        }
      raw_peer_wait (f->peer, f->peer->received->len + 1, 100);
    }
  g_assert_not_reached ();
}

static char *
dup_header (Fixture    *f,
            guint       index,
            const char *name)
{
  return hail_sip_message_dup_header (raw_peer_message (f->peer, index), name);
}

static char *
ok_with_contact (Fixture *f,
                 guint    index,
                 guint    expires)
{
  g_autofree char *contact = dup_header (f, index, "Contact");

  return g_strdup_printf ("Contact: %s;expires=%u\r\n", contact, expires);
}

#define CHALLENGE(nonce, extra) \
  "WWW-Authenticate: Digest realm=\"example.test\", nonce=\"" nonce "\", qop=\"auth\"" extra "\r\n"

static void
test_challenge_and_register (Fixture       *f,
                             gconstpointer  data)
{
  guint first, second;
  g_autofree char *auth = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *ok = NULL;
  HailSipVia via1, via2;

  start (f);
  first = wait_register (f, 1);
  g_assert_cmpint (hail_sip_registration_get_state (f->reg), ==,
                   HAIL_SIP_REGISTRATION_STATE_REGISTERING);
  contact = dup_header (f, first, "Contact");
  g_assert_nonnull (strstr (contact, "+sip.instance=\"<" INSTANCE ">\""));
  g_assert_true (g_str_has_prefix (contact, "<sip:alice@127.0.0.1:"));
  raw_peer_reply (f->peer, first, 401, CHALLENGE ("n1", ", algorithm=SHA-256"));

  second = wait_register (f, 2);
  auth = dup_header (f, second, "Authorization");
  g_assert_nonnull (auth);
  g_assert_nonnull (strstr (auth, "username=\"alice\""));
  g_assert_nonnull (strstr (auth, "algorithm=SHA-256"));
  g_assert_nonnull (strstr (auth, "uri=\"sip:example.test\""));
  /* §22.2 / §8.1.3.5: a new transaction: next CSeq, new branch. */
  g_assert_cmpuint (hail_sip_message_get_cseq (raw_peer_message (f->peer, second))->number, ==,
                    hail_sip_message_get_cseq (raw_peer_message (f->peer, first))->number + 1);
  hail_sip_message_get_via (raw_peer_message (f->peer, first), 0, &via1);
  hail_sip_message_get_via (raw_peer_message (f->peer, second), 0, &via2);
  g_assert_false (hail_sip_span_equal (via1.branch, via2.branch));

  ok = ok_with_contact (f, second, 90);
  raw_peer_reply (f->peer, second, 200, ok);
  finish (f);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpint (hail_sip_registration_get_state (f->reg), ==,
                   HAIL_SIP_REGISTRATION_STATE_REGISTERED);
  g_assert_cmpuint (hail_sip_registration_get_granted_expires (f->reg), ==, 90);

  /* Unregister: Expires 0, the same Contact, pre-authorised from the cache. */
  f->done = FALSE;
  hail_sip_registration_unregister_async (f->reg, NULL, unregister_cb, f);
  {
    guint third = wait_register (f, 3);
    g_autofree char *expires = dup_header (f, third, "Expires");
    g_autofree char *auth3 = dup_header (f, third, "Authorization");
    g_autofree char *contact3 = dup_header (f, third, "Contact");

    g_assert_cmpstr (expires, ==, "0");
    g_assert_nonnull (auth3);
    g_assert_nonnull (strstr (auth3, "nc=00000002"));
    g_assert_cmpstr (contact3, ==, contact);
    raw_peer_reply (f->peer, third, 200, NULL);
  }
  finish (f);
  g_assert_no_error (f->error);
  g_assert_cmpint (hail_sip_registration_get_state (f->reg), ==,
                   HAIL_SIP_REGISTRATION_STATE_UNREGISTERED);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  guint first, second;
  const GError *error;

  start (f);
  first = wait_register (f, 1);
  raw_peer_reply (f->peer, first, 401, CHALLENGE ("same", ""));
  second = wait_register (f, 2);
  raw_peer_reply (f->peer, second, 401, CHALLENGE ("same", ""));
  finish (f);
  /* The same nonce again means the password was refused: no loop. */
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED);
  g_assert_nonnull (strstr (f->error->message, "wrong password"));
  g_assert_cmpuint (hail_sip_registration_get_status (f->reg), ==, 401);
  g_assert_cmpint (hail_sip_registration_get_state (f->reg), ==,
                   HAIL_SIP_REGISTRATION_STATE_FAILED);
  error = hail_sip_registration_get_error (f->reg);
  g_assert_nonnull (error);
  /* No third REGISTER (retransmissions of the second do not count). */
  test_drain (100);
  for (guint i = second + 1; i < f->peer->received->len; i++)
    g_assert_cmpuint (hail_sip_message_get_cseq (raw_peer_message (f->peer, i))->number, ==,
                      hail_sip_message_get_cseq (raw_peer_message (f->peer, second))->number);
}

static void
test_stale_nonce (Fixture       *f,
                  gconstpointer  data)
{
  guint first, second, third;

  start (f);
  first = wait_register (f, 1);
  raw_peer_reply (f->peer, first, 401, CHALLENGE ("old", ""));
  second = wait_register (f, 2);
  raw_peer_reply (f->peer, second, 401, CHALLENGE ("fresh", ", stale=true"));
  third = wait_register (f, 3);
  {
    g_autofree char *auth = dup_header (f, third, "Authorization");

    g_assert_nonnull (strstr (auth, "nonce=\"fresh\""));
  }
  raw_peer_reply (f->peer, third, 200, "Expires: 77\r\n");
  finish (f);
  g_assert_no_error (f->error);
  /* No Contact in the 200 matched ours: the Expires header counts. */
  g_assert_cmpuint (hail_sip_registration_get_granted_expires (f->reg), ==, 77);
  g_clear_error (&f->error);
}

static void
test_interval_too_brief (Fixture       *f,
                         gconstpointer  data)
{
  guint first, second;
  g_autofree char *expires1 = NULL;
  g_autofree char *expires2 = NULL;
  g_autofree char *ok = NULL;

  start (f);
  first = wait_register (f, 1);
  expires1 = dup_header (f, first, "Expires");
  g_assert_cmpstr (expires1, ==, "120");
  raw_peer_reply (f->peer, first, 423, "Min-Expires: 600\r\n");
  second = wait_register (f, 2);
  expires2 = dup_header (f, second, "Expires");
  g_assert_cmpstr (expires2, ==, "600");
  ok = ok_with_contact (f, second, 600);
  raw_peer_reply (f->peer, second, 200, ok);
  finish (f);
  g_assert_no_error (f->error);
  g_assert_cmpuint (hail_sip_registration_get_granted_expires (f->reg), ==, 600);
}

static void
test_forbidden (Fixture       *f,
                gconstpointer  data)
{
  guint first;

  start (f);
  first = wait_register (f, 1);
  raw_peer_reply (f->peer, first, 403, NULL);
  finish (f);
  g_assert_error (f->error, HAIL_SIP_STATUS_ERROR, 403);
  g_assert_nonnull (strstr (f->error->message, "forbidden"));
  g_assert_cmpuint (hail_sip_registration_get_status (f->reg), ==, 403);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  start (f);
  finish (f);
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (f->error->message, "timeout"));
  g_assert_cmpuint (hail_sip_registration_get_status (f->reg), ==, 408);
}

static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  guint first, second;
  gint64 granted_at;
  g_autofree char *ok = NULL;
  g_autofree char *call_id1 = NULL;
  g_autofree char *call_id2 = NULL;
  g_autofree char *contact1 = NULL;
  g_autofree char *contact2 = NULL;

  start (f);
  first = wait_register (f, 1);
  ok = ok_with_contact (f, first, 2);
  raw_peer_reply (f->peer, first, 200, ok);
  finish (f);
  g_assert_no_error (f->error);
  granted_at = g_get_monotonic_time ();
  g_assert_cmpuint (hail_sip_registration_get_granted_expires (f->reg), ==, 2);

  /* Granted 2 s: refreshed at max (2 / 2, 2 - 60) = 1 s, same Call-ID and
   * Contact, next CSeq. */
  second = wait_register (f, 2);
  g_assert_cmpint (g_get_monotonic_time () - granted_at, >=, 900 * 1000);
  call_id1 = dup_header (f, first, "Call-ID");
  call_id2 = dup_header (f, second, "Call-ID");
  contact1 = dup_header (f, first, "Contact");
  contact2 = dup_header (f, second, "Contact");
  g_assert_cmpstr (call_id1, ==, call_id2);
  g_assert_cmpstr (contact1, ==, contact2);
  g_assert_cmpuint (hail_sip_message_get_cseq (raw_peer_message (f->peer, second))->number, ==,
                    hail_sip_message_get_cseq (raw_peer_message (f->peer, first))->number + 1);
  g_assert_cmpint (hail_sip_registration_get_state (f->reg), ==,
                   HAIL_SIP_REGISTRATION_STATE_REGISTERING);

  /* Unregistering while the refresh is in flight waits for it, then
   * removes the binding. */
  f->done = FALSE;
  hail_sip_registration_unregister_async (f->reg, NULL, unregister_cb, f);
  g_assert_cmpint (hail_sip_registration_get_state (f->reg), ==,
                   HAIL_SIP_REGISTRATION_STATE_UNREGISTERING);
  g_clear_pointer (&ok, g_free);
  ok = ok_with_contact (f, second, 600);
  raw_peer_reply (f->peer, second, 200, ok);
  {
    guint third = wait_register (f, 3);
    g_autofree char *expires = dup_header (f, third, "Expires");

    g_assert_cmpstr (expires, ==, "0");
    g_assert_false (f->done);
    raw_peer_reply (f->peer, third, 200, NULL);
  }
  finish (f);
  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpint (hail_sip_registration_get_state (f->reg), ==,
                   HAIL_SIP_REGISTRATION_STATE_UNREGISTERED);
}

static void
test_network_changed (Fixture       *f,
                      gconstpointer  data)
{
  guint first, second;
  g_autofree char *ok = NULL;

  start (f);
  first = wait_register (f, 1);
  ok = ok_with_contact (f, first, 600);
  raw_peer_reply (f->peer, first, 200, ok);
  finish (f);
  g_assert_no_error (f->error);

  /* As GNetworkMonitor says when an interface comes or goes: addresses
   * may have changed, so resolve and bind again at once. */
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
  second = wait_register (f, 2);
  raw_peer_reply (f->peer, second, 200, ok);
  g_assert_true (hail_test_wait_until (is_registered, f->reg, 5000));
  g_assert_cmpuint (hail_sip_registration_get_granted_expires (f->reg), ==, 600);
}

typedef struct {
  GPtrArray *targets;
  GError    *error;
  gboolean   done;
} Lookup;

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *l = user_data;

  l->targets = hail_sip_resolver_lookup_finish (result, &l->error);
  l->done = TRUE;
}

static gboolean
lookup_done (gpointer data)
{
  return ((Lookup *) data)->done;
}

static char *
lookup (const char *text,
        gint        kind)
{
  g_autoptr(HailSipUri) uri = hail_sip_uri_parse (text, -1, NULL);
  Lookup l = { 0 };
  GString *out = g_string_new (NULL);

  g_assert_nonnull (uri);
  hail_sip_resolver_lookup_async (uri, kind, NULL, lookup_cb, &l);
  g_assert_true (hail_test_wait_until (lookup_done, &l, 10000));
  if (l.error != NULL)
    {
      g_string_append_printf (out, "error: %s", l.error->message);
      g_error_free (l.error);
      return g_string_free (out, FALSE);
    }
  for (guint i = 0; i < l.targets->len; i++)
    {
      g_autofree char *s = hail_sip_target_to_string (g_ptr_array_index (l.targets, i));

      g_string_append_printf (out, "%s%s", i > 0 ? " " : "", s);
    }
  g_ptr_array_unref (l.targets);
  return g_string_free (out, FALSE);
}

static void
test_resolver_numeric (void)
{
  g_autofree char *a = lookup ("sip:127.0.0.1", -1);
  g_autofree char *b = lookup ("sip:127.0.0.1:5080;transport=tcp", -1);
  g_autofree char *c = lookup ("sips:127.0.0.1", -1);
  g_autofree char *d = lookup ("sip:[::1]", HAIL_SIP_TRANSPORT_KIND_TLS);
  g_autofree char *e = lookup ("sip:127.0.0.1;transport=sctp", -1);

  g_assert_cmpstr (a, ==, "udp:127.0.0.1:5060");
  g_assert_cmpstr (b, ==, "tcp:127.0.0.1:5080");
  g_assert_cmpstr (c, ==, "tls:127.0.0.1:5061");
  g_assert_cmpstr (d, ==, "tls:[::1]:5061");
  g_assert_true (g_str_has_prefix (e, "error: Unsupported transport"));
}

static void
test_resolver_localhost (void)
{
  /* A port means A/AAAA only (RFC 3263 §4.2): /etc/hosts answers. */
  g_autofree char *a = lookup ("sip:localhost:5070", HAIL_SIP_TRANSPORT_KIND_TCP);

  g_assert_nonnull (strstr (a, "tcp:127.0.0.1:5070") != NULL ? a : strstr (a, "tcp:[::1]:5070"));
}

/* Only a name that does not exist reads "not found": SERVFAIL or a silent
 * server says nothing about the name (found by tests/e2e/test-dns.py). */
static void
test_describe_dns_failure (void)
{
  g_autoptr(GError) missing = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                                                   "Error resolving “nowhere.test”: "
                                                   "Name or service not known");
  g_autoptr(GError) failed = g_error_new_literal (G_RESOLVER_ERROR,
                                                  G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                                                  "Error resolving “broken.test”: "
                                                  "Temporary failure in name resolution");
  g_autoptr(GError) prefixed = g_error_new_literal (G_RESOLVER_ERROR,
                                                    G_RESOLVER_ERROR_TEMPORARY_FAILURE,
                                                    "DNS lookup failed: broken.test");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  guint status = 0;

  a = hail_sip_describe_failure (missing, 0, &status);
  g_assert_cmpuint (status, ==, 503);
  g_assert_cmpstr (a, ==, "DNS name not found: Error resolving “nowhere.test”: "
                          "Name or service not known");
  b = hail_sip_describe_failure (failed, 0, NULL);
  g_assert_cmpstr (b, ==, "DNS lookup failed: Error resolving “broken.test”: "
                          "Temporary failure in name resolution");
  c = hail_sip_describe_failure (prefixed, 0, NULL);
  g_assert_cmpstr (c, ==, "DNS lookup failed: broken.test");
}

static gboolean
registrar_cb (HailSipStack             *stack,
              HailSipServerTransaction *txn,
              HailSipMessage           *request,
              guint                    *count)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *value = NULL;

  if (txn == NULL)
    return FALSE;
  (*count)++;
  contact = hail_sip_message_dup_header (request, "Contact");
  value = g_strdup_printf ("%s;expires=600", contact);
  builder = hail_sip_message_builder_new_reply (request, 200, NULL, "reg");
  hail_sip_message_builder_add_header (builder, "Contact", value);
  response = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);
  hail_sip_server_transaction_respond (txn, response, &error);
  g_assert_no_error (error);
  return TRUE;
}

typedef struct {
  guint *count;
  guint  want;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *c = data;

  return *c->count >= c->want;
}

/* RFC 5626 §4.4: when the TCP flow to the registrar breaks, the binding
 * is unreachable: register again over a new flow. */
static void
test_flow_closed (void)
{
  g_autoptr(HailSipStack) client = test_stack_new (TRUE);
  g_autoptr(HailSipStack) server = test_stack_new (TRUE);
  GInetSocketAddress *address = hail_sip_stack_get_listen_address (server,
                                                                   HAIL_SIP_TRANSPORT_KIND_TCP);
  g_autoptr(HailSipUri) aor = hail_sip_uri_parse ("sip:alice@example.test", -1, NULL);
  g_autofree char *registrar_text = NULL;
  g_autoptr(HailSipUri) registrar = NULL;
  g_autoptr(HailSipRegistration) reg = NULL;
  HailSipFlow *flow;
  guint count = 0;
  Count wanted = { &count, 2 };
  Fixture f = { 0 };

  registrar_text = g_strdup_printf ("sip:127.0.0.1:%u;transport=tcp",
                                    g_inet_socket_address_get_port (address));
  registrar = hail_sip_uri_parse (registrar_text, -1, NULL);
  reg = hail_sip_registration_new (client, NULL, aor, registrar, INSTANCE);
  g_signal_connect (server, "request", G_CALLBACK (registrar_cb), &count);
  hail_sip_registration_register_async (reg, NULL, register_cb, &f);
  g_assert_true (hail_test_wait_until (is_done, &f, 10000));
  g_assert_no_error (f.error);
  g_assert_cmpuint (count, ==, 1);

  flow = hail_sip_transport_lookup_flow (hail_sip_stack_get_transport (client),
                                         HAIL_SIP_TRANSPORT_KIND_TCP, address);
  g_assert_nonnull (flow);
  hail_sip_flow_close (flow);
  g_assert_true (hail_test_wait_until (count_reached, &wanted, 10000));
  g_assert_true (hail_test_wait_until (is_registered, reg, 10000));
  g_assert_cmpuint (hail_sip_registration_get_granted_expires (reg), ==, 600);
  hail_sip_transport_close (hail_sip_stack_get_transport (client));
  hail_sip_transport_close (hail_sip_stack_get_transport (server));
}

static void
test_pick_target (void)
{
  g_autoptr(HailSipStack) stack = test_stack_new (FALSE);   /* UDP on 127.0.0.1 only */
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (
    (GDestroyNotify) hail_sip_target_free);
  g_autoptr(GInetAddress) v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GInetAddress) v4 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) a6 = g_inet_socket_address_new (v6, 5060);
  g_autoptr(GSocketAddress) a4 = g_inet_socket_address_new (v4, 5060);
  g_autofree char *picked = NULL;
  g_autofree char *stream = NULL;

  /* "localhost" resolves to ::1 first: UDP must skip it without an IPv6
   * socket, a stream need not. */
  g_assert_null (hail_sip_stack_pick_target (stack, targets));
  g_ptr_array_add (targets, hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_UDP,
                                                 G_INET_SOCKET_ADDRESS (a6), NULL));
  g_ptr_array_add (targets, hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_UDP,
                                                 G_INET_SOCKET_ADDRESS (a4), NULL));
  picked = hail_sip_target_to_string (hail_sip_stack_pick_target (stack, targets));
  g_assert_cmpstr (picked, ==, "udp:127.0.0.1:5060");
  g_ptr_array_remove_index (targets, 1);
  g_ptr_array_add (targets, hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_TCP,
                                                 G_INET_SOCKET_ADDRESS (a6), NULL));
  stream = hail_sip_target_to_string (hail_sip_stack_pick_target (stack, targets));
  g_assert_cmpstr (stream, ==, "tcp:[::1]:5060");
}

/* §10.2: the Request-URI is the address's domain without the user; a port
 * in the address belongs to that domain (a registrar on 127.0.0.1:PORT was
 * asked about 127.0.0.1:5060 and answered 403 "Not relaying"). */
static void
test_request_uri_keeps_port (void)
{
  Fixture f = { 0 };
  g_autofree char *aor_text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(HailSipUri) aor = NULL;
  guint port;
  guint first;

  f.peer = raw_peer_new ();
  f.stack = test_stack_new (FALSE);
  f.auth = hail_sip_auth_new ("alice", NULL, "alice-secret");
  port = g_inet_socket_address_get_port (f.peer->address);
  aor_text = g_strdup_printf ("sip:alice@127.0.0.1:%u", port);
  aor = hail_sip_uri_parse (aor_text, -1, NULL);
  g_assert_nonnull (aor);
  f.reg = hail_sip_registration_new (f.stack, f.auth, aor, NULL, INSTANCE);
  start (&f);
  first = wait_register (&f, 1);
  expected = g_strdup_printf ("sip:127.0.0.1:%u", port);
  g_assert_true (hail_sip_span_equal_str (
    hail_sip_message_get_request_uri (raw_peer_message (f.peer, first)), expected));
  raw_peer_reply (f.peer, first, 403, NULL);
  finish (&f);
  g_assert_false (f.ok);
  fixture_teardown (&f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, password) \
  g_test_add ("/sip/registration/" path, Fixture, password, fixture_setup, fn, fixture_teardown)
  ADD ("challenge-register-unregister", test_challenge_and_register, NULL);
  ADD ("wrong-password", test_wrong_password, "not-the-password");
  ADD ("stale-nonce", test_stale_nonce, NULL);
  ADD ("interval-too-brief", test_interval_too_brief, NULL);
  ADD ("forbidden", test_forbidden, NULL);
  ADD ("timeout", test_timeout, NULL);
  ADD ("refresh-at-half-time", test_refresh, NULL);
  ADD ("network-changed-registers-again", test_network_changed, NULL);
#undef ADD
  g_test_add_func ("/sip/registration/flow-closed-registers-again", test_flow_closed);
  g_test_add_func ("/sip/registration/request-uri-keeps-port", test_request_uri_keeps_port);
  g_test_add_func ("/sip/resolver/numeric", test_resolver_numeric);
  g_test_add_func ("/sip/resolver/localhost-with-port", test_resolver_localhost);
  g_test_add_func ("/sip/registration/describe-dns-failure", test_describe_dns_failure);
  g_test_add_func ("/sip/stack/pick-target-by-family", test_pick_target);

  return g_test_run ();
}
