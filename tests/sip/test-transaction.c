/* test-transaction.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client and server transactions of RFC 3261 §17 against a scripted
 * UDP peer on 127.0.0.1, with T1 = 20 ms, T2 = 80 ms, T4 = 100 ms. Timer
 * checks assert lower bounds and counts only: a loaded machine makes timers
 * late, never early.
 */
#include "config.h"

#include "hail-sip-client-transaction.h"
#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-request-sender.h"
#include "hail-sip-server-transaction.h"
#include "hail-sip-stack.h"
#include "hail-test-util.h"
#include "test-stack-util.h"

/* Slack for timer arithmetic: GLib rounds timeouts to the millisecond. */
#define SLACK_US 2000

typedef struct {
  HailSipMessage *response;
  GError         *error;
  gboolean        done;
  guint           provisional;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_pointer (&o->response, hail_sip_message_unref);
  g_clear_error (&o->error);
}

static gboolean
outcome_done (gpointer data)
{
  return ((Outcome *) data)->done;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Outcome *o = user_data;

  o->response = hail_sip_client_transaction_run_finish (HAIL_SIP_CLIENT_TRANSACTION (source),
                                                        result, &o->error);
  o->done = TRUE;
}

static void
provisional_cb (HailSipClientTransaction *txn,
                HailSipMessage           *response,
                Outcome                  *o)
{
  o->provisional++;
}

static HailSipMessage *
make_request (HailSipStack        *stack,
              const HailSipTarget *target,
              const char          *method)
{
  g_autofree char *branch = hail_sip_stack_new_branch ();
  g_autofree char *via = NULL;
  g_autofree char *cseq = g_strdup_printf ("1 %s", method);
  g_autoptr(HailSipUri) uri = hail_sip_uri_parse ("sip:bob@127.0.0.1", -1, NULL);
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  HailSipMessage *request;

  via = hail_sip_stack_dup_via (stack, target, branch, &error);
  g_assert_no_error (error);
  builder = hail_sip_message_builder_new_request (method, uri);
  hail_sip_message_builder_add_header (builder, "Via", via);
  hail_sip_message_builder_add_header (builder, "Max-Forwards", "70");
  hail_sip_message_builder_add_header (builder, "From", "<sip:alice@example.test>;tag=a1");
  hail_sip_message_builder_add_header (builder, "To", "<sip:bob@example.test>");
  hail_sip_message_builder_add_header (builder, "Call-ID", "test-call-id");
  hail_sip_message_builder_add_header (builder, "CSeq", cseq);
  request = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);
  return request;
}

/* A client transaction for a request of @method to a raw peer over UDP,
 * with what it reported. */
typedef struct {
  RawPeer                  *peer;
  HailSipStack             *stack;
  HailSipTarget            *target;
  HailSipMessage           *request;
  HailSipClientTransaction *txn;
  Outcome                   o;
} Client;

static void
client_start (Client     *c,
              const char *method)
{
  c->peer = raw_peer_new ();
  c->stack = test_stack_new (FALSE);
  c->target = test_target (c->peer);
  c->request = make_request (c->stack, c->target, method);
  c->txn = hail_sip_client_transaction_new (c->stack, c->request, c->target);
}

static void
client_clear (Client *c)
{
  outcome_clear (&c->o);
  g_clear_object (&c->txn);
  g_clear_pointer (&c->request, hail_sip_message_unref);
  g_clear_pointer (&c->target, hail_sip_target_free);
  g_clear_object (&c->stack);
  g_clear_pointer (&c->peer, raw_peer_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Client, client_clear)

/* Runs the transaction; the peer answers @provisional (unless 0), then
 * @status, which the transaction returns after reporting the provisional. */
static void
client_run_answered (Client *c,
                     guint   provisional,
                     guint   status)
{
  g_signal_connect (c->txn, "provisional", G_CALLBACK (provisional_cb), &c->o);
  hail_sip_client_transaction_run_async (c->txn, NULL, run_cb, &c->o);
  g_assert_true (raw_peer_wait (c->peer, 1, 5000));
  if (provisional != 0)
    raw_peer_reply (c->peer, 0, provisional, NULL);
  raw_peer_reply (c->peer, 0, status, NULL);
  g_assert_true (hail_test_wait_until (outcome_done, &c->o, 5000));
  g_assert_no_error (c->o.error);
  g_assert_cmpuint (hail_sip_message_get_status (c->o.response), ==, status);
  g_assert_cmpuint (c->o.provisional, ==, provisional != 0 ? 1 : 0);
}

static HailSipSpan
branch_of (HailSipMessage *message)
{
  HailSipVia via;

  g_assert_true (hail_sip_message_get_via (message, 0, &via));
  return via.branch;
}

static gint64
gap (RawPeer *peer,
     guint    i)
{
  Datagram *a = g_ptr_array_index (peer->received, i);
  Datagram *b = g_ptr_array_index (peer->received, i + 1);

  return b->time - a->time;
}

static void
test_non_invite_timer_f (void)
{
  g_auto(Client) c = { 0 };
  guint n;

  client_start (&c, "OPTIONS");
  hail_sip_client_transaction_run_async (c.txn, NULL, run_cb, &c.o);
  g_assert_true (hail_test_wait_until (outcome_done, &c.o, 10000));
  g_assert_error (c.o.error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);
  g_assert_cmpint (hail_sip_client_transaction_get_state (c.txn), ==,
                   HAIL_SIP_TRANSACTION_STATE_TERMINATED);

  /* Timer F = 64*T1 = 1280 ms; E = 20, 40, then T2 = 80: at most 18 sends. */
  n = c.peer->received->len;
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpuint (n, <=, 18);
  g_assert_cmpint (gap (c.peer, 0), >=, 20000 - SLACK_US);
  g_assert_cmpint (gap (c.peer, 1), >=, 40000 - SLACK_US);
  for (guint i = 2; i + 1 < n; i++)
    g_assert_cmpint (gap (c.peer, i), >=, 80000 - SLACK_US);
  for (guint i = 1; i < n; i++)
    g_assert_true (hail_sip_span_equal (branch_of (raw_peer_message (c.peer, 0)),
                                        branch_of (raw_peer_message (c.peer, i))));
  g_assert_cmpuint (hail_sip_stack_get_n_transactions (c.stack), ==, 0);
}

static void
test_invite_timer_b (void)
{
  g_auto(Client) c = { 0 };
  guint n;

  client_start (&c, "INVITE");
  hail_sip_client_transaction_run_async (c.txn, NULL, run_cb, &c.o);
  g_assert_true (hail_test_wait_until (outcome_done, &c.o, 10000));
  g_assert_error (c.o.error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);

  /* Timer A doubles without a cap: 20, 40, 80, 160, 320, 640 ms: at most 7
   * sends before timer B at 1280 ms. */
  n = c.peer->received->len;
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpuint (n, <=, 7);
  for (guint i = 0; i + 1 < n; i++)
    g_assert_cmpint (gap (c.peer, i), >=, (20000 << i) - SLACK_US);
}

static guint
find_method (RawPeer    *peer,
             const char *method,
             guint       from)
{
  for (guint i = from; i < peer->received->len; i++)
    {
      Datagram *d = g_ptr_array_index (peer->received, i);

      if (d->message != NULL && hail_sip_message_is_request (d->message)
          && hail_sip_message_is_method (d->message, method))
        return i;
    }
  return G_MAXUINT;
}

typedef struct {
  RawPeer    *peer;
  const char *method;
  guint       from;
} FindData;

static gboolean
has_method (gpointer data)
{
  FindData *f = data;

  return find_method (f->peer, f->method, f->from) != G_MAXUINT;
}

static guint
wait_method (RawPeer    *peer,
             const char *method,
             guint       from)
{
  FindData f = { peer, method, from };

  g_assert_true (hail_test_wait_until (has_method, &f, 5000));
  return find_method (peer, method, from);
}

static void
test_invite_ack_non_2xx (void)
{
  g_auto(Client) c = { 0 };
  HailSipMessage *ack;
  guint first_ack, second_ack;

  client_start (&c, "INVITE");
  /* Timer D (64*T1) must outlast a loaded machine's delays here: 12.8 s. */
  hail_sip_stack_set_timers (c.stack, 200, 800, 1000);
  client_run_answered (&c, 180, 486);
  g_assert_cmpint (hail_sip_client_transaction_get_state (c.txn), ==,
                   HAIL_SIP_TRANSACTION_STATE_COMPLETED);

  /* §17.1.1.3: the ACK is in the transaction: same branch, CSeq 1 ACK, the
   * To of the response. */
  first_ack = wait_method (c.peer, "ACK", 0);
  ack = raw_peer_message (c.peer, first_ack);
  g_assert_true (hail_sip_span_equal (branch_of (ack), branch_of (c.request)));
  g_assert_cmpuint (hail_sip_message_get_cseq (ack)->number, ==, 1);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_cseq (ack)->method, "ACK"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_to (ack)->tag, "peertag"));

  /* A retransmitted 486 gets the ACK again. */
  raw_peer_reply (c.peer, 0, 486, NULL);
  second_ack = wait_method (c.peer, "ACK", first_ack + 1);
  g_assert_cmpuint (second_ack, >, first_ack);

  /* A peer that answers the ACK itself gets no ACK for that: no loop. */
  raw_peer_reply (c.peer, second_ack, 503, NULL);
  test_drain (400);
  g_assert_cmpuint (c.peer->received->len, ==, second_ack + 1);
}

static gboolean
no_transactions (gpointer data)
{
  return hail_sip_stack_get_n_transactions (data) == 0;
}

static gboolean
count_at_least_one (gpointer data)
{
  return *(guint *) data >= 1;
}

static void
response_cb (HailSipClientTransaction *txn,
             HailSipMessage           *response,
             guint                    *count)
{
  (*count)++;
}

/* RFC 6026 §7.2: a 2xx ends the INVITE client transaction's work (the ACK
 * is the dialog's), and later 2xx go up until timer M. */
static void
test_invite_2xx_accepted (void)
{
  g_auto(Client) c = { 0 };
  guint later = 0;

  client_start (&c, "INVITE");
  /* Timer M (64*T1) must outlast a loaded machine's delays here: 12.8 s. */
  hail_sip_stack_set_timers (c.stack, 200, 800, 1000);
  g_signal_connect (c.txn, "response", G_CALLBACK (response_cb), &later);
  client_run_answered (&c, 0, 200);
  g_assert_cmpint (hail_sip_client_transaction_get_state (c.txn), ==,
                   HAIL_SIP_TRANSACTION_STATE_ACCEPTED);

  raw_peer_reply (c.peer, 0, 200, NULL);
  g_assert_true (hail_test_wait_until (count_at_least_one, &later, 5000));
  g_assert_cmpuint (later, ==, 1);
  /* No ACK from the transaction for a 2xx. */
  g_assert_cmpuint (find_method (c.peer, "ACK", 0), ==, G_MAXUINT);
}

static void
test_non_invite_provisional_and_timer_k (void)
{
  g_auto(Client) c = { 0 };

  client_start (&c, "OPTIONS");
  client_run_answered (&c, 100, 200);
  /* Timer K (T4 on UDP) keeps it to absorb retransmissions, then ends it. */
  g_assert_cmpint (hail_sip_client_transaction_get_state (c.txn), ==,
                   HAIL_SIP_TRANSACTION_STATE_COMPLETED);
  raw_peer_reply (c.peer, 0, 200, NULL);
  g_assert_true (hail_test_wait_until (no_transactions, c.stack, 5000));
  g_assert_cmpint (hail_sip_client_transaction_get_state (c.txn), ==,
                   HAIL_SIP_TRANSACTION_STATE_TERMINATED);
}

/* A stack listening on UDP and a raw peer that sends it requests. */
typedef struct {
  RawPeer            *peer;
  HailSipStack       *stack;
  GInetSocketAddress *local;   /* Where the stack listens; the stack's. */
} Server;

static Server
server_open (void)
{
  Server srv;

  srv.peer = raw_peer_new ();
  srv.stack = test_stack_new (FALSE);
  srv.local = hail_sip_stack_get_listen_address (srv.stack, HAIL_SIP_TRANSPORT_KIND_UDP);
  return srv;
}

static void
server_clear (Server *srv)
{
  g_clear_object (&srv->stack);
  g_clear_pointer (&srv->peer, raw_peer_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

typedef struct {
  guint                     calls;
  guint                     status;
  HailSipServerTransaction *txn;
} Handler;

static gboolean
request_cb (HailSipStack             *stack,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            Handler                  *h)
{
  g_autoptr(GError) error = NULL;

  h->calls++;
  if (txn == NULL)
    return TRUE;
  g_set_object (&h->txn, txn);
  if (h->status != 0)
    {
      hail_sip_server_transaction_reply (txn, h->status, "uas1", &error);
      g_assert_no_error (error);
    }
  return TRUE;
}

static char *
peer_request (RawPeer      *peer,
              const char   *method,
              const char   *branch,
              guint         cseq,
              const char   *cseq_method)
{
  return g_strdup_printf ("%s sip:bob@127.0.0.1 SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:%u;rport;branch=%s\r\n"
                          "Max-Forwards: 70\r\n"
                          "From: <sip:alice@example.test>;tag=p1\r\n"
                          "To: <sip:bob@example.test>\r\n"
                          "Call-ID: peer-call\r\n"
                          "CSeq: %u %s\r\n"
                          "Content-Length: 0\r\n\r\n",
                          method, g_inet_socket_address_get_port (peer->address), branch,
                          cseq, cseq_method != NULL ? cseq_method : method);
}

/* @h takes the stack's requests; the peer sends @text, then again once
 * answered, and waits for the second answer. */
static void
send_twice (Server     *srv,
            Handler    *h,
            const char *text)
{
  /* Timer J/H (64*T1) must outlast a loaded machine's delays: 12.8 s. */
  hail_sip_stack_set_timers (srv->stack, 200, 800, 1000);
  g_signal_connect (srv->stack, "request", G_CALLBACK (request_cb), h);
  raw_peer_send (srv->peer, srv->local, text);
  g_assert_true (raw_peer_wait (srv->peer, 1, 5000));
  raw_peer_send (srv->peer, srv->local, text);
  g_assert_true (raw_peer_wait (srv->peer, 2, 5000));
}

static void
test_server_retransmits_final (void)
{
  g_auto(Server) srv = server_open ();
  g_autofree char *text = peer_request (srv.peer, "OPTIONS", "z9hG4bKpeer1", 1, NULL);
  Handler h = { .status = 200 };
  HailSipMessage *response;
  HailSipVia via;

  send_twice (&srv, &h, text);
  g_assert_cmpuint (h.calls, ==, 1);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (srv.peer, i)), ==, 200);

  /* RFC 3581 §4: the Via of the answer says where the request came from. */
  response = raw_peer_message (srv.peer, 0);
  g_assert_true (hail_sip_message_get_via (response, 0, &via));
  g_assert_true (hail_sip_span_equal_str (via.received, "127.0.0.1"));
  g_assert_cmpuint (via.rport, ==, g_inet_socket_address_get_port (srv.peer->address));
  g_clear_object (&h.txn);
}

static void
test_server_rfc2543_retransmission (void)
{
  g_auto(Server) srv = server_open ();
  g_autofree char *text = peer_request (srv.peer, "OPTIONS", "old2543", 7, NULL);
  g_autofree char *other = peer_request (srv.peer, "OPTIONS", "old2543", 8, NULL);
  Handler h = { .status = 200 };

  send_twice (&srv, &h, text);
  /* §17.2.3: without a z9hG4bK branch, the same CSeq is the same request... */
  g_assert_cmpuint (h.calls, ==, 1);
  /* ...and another CSeq a new one. */
  raw_peer_send (srv.peer, srv.local, other);
  g_assert_true (raw_peer_wait (srv.peer, 3, 5000));
  g_assert_cmpuint (h.calls, ==, 2);
  g_clear_object (&h.txn);
}

static void
test_server_invite_trying (void)
{
  g_auto(Server) srv = server_open ();
  g_autofree char *text = peer_request (srv.peer, "INVITE", "z9hG4bKinv1", 1, NULL);
  Handler h = { 0 };

  g_signal_connect (srv.stack, "request", G_CALLBACK (request_cb), &h);
  raw_peer_send (srv.peer, srv.local, text);
  /* §17.2.1: nobody answered within 200 ms: 100 Trying. */
  g_assert_true (raw_peer_wait (srv.peer, 1, 5000));
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (srv.peer, 0)), ==, 100);
  g_assert_cmpuint (h.calls, ==, 1);
  g_clear_object (&h.txn);
}

typedef struct {
  guint requests;
  guint acks;
} Accepting;

static gboolean
accept_cb (HailSipStack             *stack,
           HailSipServerTransaction *txn,
           HailSipMessage           *request,
           Accepting                *a)
{
  g_autoptr(GError) error = NULL;

  if (txn == NULL)
    {
      a->acks++;
      return TRUE;
    }
  a->requests++;
  hail_sip_server_transaction_reply (txn, 200, "uas1", &error);
  g_assert_no_error (error);
  return TRUE;
}

static gboolean
has_ack (gpointer data)
{
  return ((Accepting *) data)->acks >= 1;
}

/* RFC 6026 §7.1: after a 2xx the INVITE server transaction absorbs
 * retransmitted INVITEs (the dialog retransmits the 2xx) and the ACK,
 * a new transaction, reaches the transaction user. */
static void
test_server_invite_accepted (void)
{
  g_auto(Server) srv = server_open ();
  g_autofree char *invite = peer_request (srv.peer, "INVITE", "z9hG4bKinv3", 1, NULL);
  g_autofree char *ack = peer_request (srv.peer, "ACK", "z9hG4bKack3", 1, NULL);
  Accepting a = { 0 };

  /* Timer L (64*T1) must outlast a loaded machine's delays: 12.8 s. */
  hail_sip_stack_set_timers (srv.stack, 200, 800, 1000);
  g_signal_connect (srv.stack, "request", G_CALLBACK (accept_cb), &a);
  raw_peer_send (srv.peer, srv.local, invite);
  g_assert_true (raw_peer_wait (srv.peer, 1, 5000));
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (srv.peer, 0)), ==, 200);
  raw_peer_send (srv.peer, srv.local, invite);
  raw_peer_send (srv.peer, srv.local, ack);
  g_assert_true (hail_test_wait_until (has_ack, &a, 5000));
  g_assert_cmpuint (a.requests, ==, 1);
  g_assert_cmpuint (a.acks, ==, 1);
  /* The retransmitted INVITE got no second 200 from the transaction. */
  test_drain (50);
  g_assert_cmpuint (srv.peer->received->len, ==, 1);
}

static void
cancelled_cb (HailSipServerTransaction *txn,
              gpointer                  user_data)
{
  g_autoptr(GError) error = NULL;

  hail_sip_server_transaction_reply (txn, 487, "uas1", &error);
  g_assert_no_error (error);
}

static guint
find_status (RawPeer    *peer,
             guint       status,
             const char *cseq_method)
{
  for (guint i = 0; i < peer->received->len; i++)
    {
      Datagram *d = g_ptr_array_index (peer->received, i);

      if (d->message != NULL && !hail_sip_message_is_request (d->message)
          && hail_sip_message_get_status (d->message) == status
          && hail_sip_span_equal_str (hail_sip_message_get_cseq (d->message)->method, cseq_method))
        return i;
    }
  return G_MAXUINT;
}

static void
test_server_cancel (void)
{
  g_auto(Server) srv = server_open ();
  g_autofree char *invite = peer_request (srv.peer, "INVITE", "z9hG4bKinv2", 1, NULL);
  g_autofree char *cancel = peer_request (srv.peer, "CANCEL", "z9hG4bKinv2", 1, NULL);
  g_autofree char *stray = peer_request (srv.peer, "CANCEL", "z9hG4bKnone", 1, NULL);
  g_autofree char *ack = peer_request (srv.peer, "ACK", "z9hG4bKinv2", 1, NULL);
  Handler h = { 0 };

  /* Timer J/H (64*T1) must outlast a loaded machine's delays: 12.8 s. */
  hail_sip_stack_set_timers (srv.stack, 200, 800, 1000);
  g_signal_connect (srv.stack, "request", G_CALLBACK (request_cb), &h);
  raw_peer_send (srv.peer, srv.local, invite);
  g_assert_true (raw_peer_wait (srv.peer, 1, 5000));   /* 100 Trying */
  g_assert_nonnull (h.txn);
  g_signal_connect (h.txn, "cancelled", G_CALLBACK (cancelled_cb), NULL);
  raw_peer_send (srv.peer, srv.local, cancel);
  g_assert_true (raw_peer_wait (srv.peer, 3, 5000));
  g_assert_cmpuint (find_status (srv.peer, 200, "CANCEL"), !=, G_MAXUINT);
  g_assert_cmpuint (find_status (srv.peer, 487, "INVITE"), !=, G_MAXUINT);
  g_assert_cmpint (hail_sip_server_transaction_get_state (h.txn), ==,
                   HAIL_SIP_TRANSACTION_STATE_COMPLETED);
  /* The ACK of the 487 confirms the INVITE transaction (§17.2.1). */
  raw_peer_send (srv.peer, srv.local, ack);
  raw_peer_send (srv.peer, srv.local, stray);
  g_assert_true (raw_peer_wait (srv.peer, 4, 5000));
  g_assert_cmpuint (find_status (srv.peer, 481, "CANCEL"), !=, G_MAXUINT);
  g_assert_cmpint (hail_sip_server_transaction_get_state (h.txn), >=,
                   HAIL_SIP_TRANSACTION_STATE_CONFIRMED);
  g_assert_cmpuint (h.calls, ==, 1);
  g_clear_object (&h.txn);
}

static void
test_stack_bad_requests (void)
{
  g_auto(Server) srv = server_open ();
  g_autofree char *good = peer_request (srv.peer, "OPTIONS", "z9hG4bKgood", 1, NULL);
  g_autofree char *version = NULL;
  g_autofree char *truncated = NULL;
  Handler h = { .status = 200 };

  g_signal_connect (srv.stack, "request", G_CALLBACK (request_cb), &h);
  version = g_strdup (good);
  memcpy (strstr (version, "SIP/2.0\r\n"), "SIP/3.0", 7);
  raw_peer_send (srv.peer, srv.local, version);
  g_assert_true (raw_peer_wait (srv.peer, 1, 5000));
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (srv.peer, 0)), ==, 505);

  /* A body shorter than its Content-Length: unparsable, answerable. */
  truncated = g_strdup (good);
  memcpy (strstr (truncated, "Content-Length: 0"), "Content-Length: 9", 17);
  raw_peer_send (srv.peer, srv.local, truncated);
  g_assert_true (raw_peer_wait (srv.peer, 2, 5000));
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (srv.peer, 1)), ==, 400);

  /* Garbage and a stray response are dropped; the stack still answers. */
  raw_peer_send (srv.peer, srv.local, "\x01\x02garbage\r\n\r\n");
  raw_peer_send (srv.peer, srv.local,
                 "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKx\r\n"
                 "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
                 "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
  raw_peer_send (srv.peer, srv.local, good);
  g_assert_true (raw_peer_wait (srv.peer, 3, 5000));
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (srv.peer, 2)), ==, 200);
  g_assert_cmpuint (h.calls, ==, 1);
  g_clear_object (&h.txn);
}

static void
test_stack_unhandled_501 (void)
{
  g_auto(Server) srv = server_open ();
  g_autofree char *text = peer_request (srv.peer, "SUBSCRIBE", "z9hG4bKsub", 1, NULL);

  raw_peer_send (srv.peer, srv.local, text);
  g_assert_true (raw_peer_wait (srv.peer, 1, 5000));
  g_assert_cmpuint (hail_sip_message_get_status (raw_peer_message (srv.peer, 0)), ==, 501);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *o = user_data;

  o->response = hail_sip_request_sender_run_finish (HAIL_SIP_REQUEST_SENDER (source), result,
                                                    &o->error);
  o->done = TRUE;
}

static void
test_reliable_zero_timers_and_large_over_tcp (void)
{
  g_autoptr(HailSipStack) client = test_stack_new (FALSE);
  g_autoptr(HailSipTransport) transport = NULL;
  g_autoptr(HailSipStack) server = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GInetSocketAddress) udp = NULL;
  g_autoptr(GInetSocketAddress) tcp = NULL;
  g_autoptr(GSocketAddress) same_port = NULL;
  g_autoptr(HailSipTarget) target = NULL;
  g_autoptr(HailSipUri) uri = hail_sip_uri_parse ("sip:bob@127.0.0.1", -1, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (1400, 'x');
  g_autoptr(HailSipRequestSender) sender = NULL;
  Handler h = { .status = 200 };
  Outcome o = { 0 };
  HailSipRequestSpec spec = {
    .method = "MESSAGE", .request_uri = uri, .from = "<sip:alice@example.test>;tag=z",
    .to = "<sip:bob@example.test>", .call_id = "big-call", .cseq = 1,
    .content_type = "text/plain",
  };

  /* The server listens on UDP and TCP on the same port, as 5060 would. The
   * kernel picks the UDP port; another process may hold that TCP port, so
   * try again with a fresh server (bounded). */
  for (guint attempt = 0; tcp == NULL && attempt < 20; attempt++)
    {
      g_clear_object (&server);
      g_clear_object (&transport);
      g_clear_object (&udp);
      g_clear_object (&same_port);
      g_clear_error (&error);
      transport = hail_sip_transport_new ();
      server = hail_sip_stack_new (transport);
      udp = hail_sip_stack_listen (server, HAIL_SIP_TRANSPORT_KIND_UDP,
                                   G_INET_SOCKET_ADDRESS (any), &error);
      g_assert_no_error (error);
      same_port = g_inet_socket_address_new (lo, g_inet_socket_address_get_port (udp));
      tcp = hail_sip_stack_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                   G_INET_SOCKET_ADDRESS (same_port), &error);
      if (tcp == NULL)
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
    }
  g_assert_no_error (error);
  g_assert_nonnull (tcp);
  g_signal_connect (server, "request", G_CALLBACK (request_cb), &h);

  /* §18.1.1: 1400 bytes do not go over UDP. */
  target = hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_UDP, udp, NULL);
  body = g_bytes_new_static (big, 1400);
  spec.target = target;
  spec.body = body;
  sender = hail_sip_request_sender_new (client, &spec, NULL);
  hail_sip_request_sender_run_async (sender, NULL, send_cb, &o);
  g_assert_true (hail_test_wait_until (outcome_done, &o, 10000));
  g_assert_no_error (o.error);
  g_assert_cmpuint (hail_sip_message_get_status (o.response), ==, 200);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (transport), ==, 1);
  /* Timer K is zero on a reliable transport: nothing lingers. */
  g_assert_cmpuint (hail_sip_stack_get_n_transactions (client), ==, 0);
  g_assert_true (hail_test_wait_until (no_transactions, server, 5000));
  outcome_clear (&o);
  g_clear_object (&h.txn);
  hail_sip_transport_close (transport);
}

static gboolean
close_all_cb (HailSipStack             *stack,
              HailSipServerTransaction *txn,
              HailSipMessage           *request,
              gpointer                  user_data)
{
  /* A server that drops the connection instead of answering. */
  hail_sip_transport_close (hail_sip_stack_get_transport (stack));
  return TRUE;
}

static void
test_reliable_flow_closed (void)
{
  g_autoptr(HailSipStack) client = test_stack_new (FALSE);
  g_autoptr(HailSipStack) server = test_stack_new (TRUE);
  GInetSocketAddress *tcp =
    hail_sip_stack_get_listen_address (server, HAIL_SIP_TRANSPORT_KIND_TCP);
  g_autoptr(HailSipTarget) target = hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_TCP, tcp, NULL);
  g_autoptr(HailSipMessage) request = NULL;
  g_autoptr(HailSipClientTransaction) txn = NULL;
  Outcome o = { 0 };

  /* Timer F would be 32 s: the closed connection must end it long before. */
  hail_sip_stack_set_timers (client, 500, 4000, 5000);
  g_signal_connect (server, "request", G_CALLBACK (close_all_cb), NULL);
  request = make_request (client, target, "OPTIONS");
  txn = hail_sip_client_transaction_new (client, request, target);
  hail_sip_client_transaction_run_async (txn, NULL, run_cb, &o);
  g_assert_true (hail_test_wait_until (outcome_done, &o, 10000));
  g_assert_error (o.error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
  g_assert_cmpuint (hail_sip_stack_get_n_transactions (client), ==, 0);
  outcome_clear (&o);
  hail_sip_transport_close (hail_sip_stack_get_transport (client));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/transaction/non-invite-timer-e-f", test_non_invite_timer_f);
  g_test_add_func ("/sip/transaction/invite-timer-a-b", test_invite_timer_b);
  g_test_add_func ("/sip/transaction/invite-ack-non-2xx", test_invite_ack_non_2xx);
  g_test_add_func ("/sip/transaction/non-invite-provisional-timer-k",
                   test_non_invite_provisional_and_timer_k);
  g_test_add_func ("/sip/transaction/invite-2xx-accepted", test_invite_2xx_accepted);
  g_test_add_func ("/sip/transaction/server-retransmits-final", test_server_retransmits_final);
  g_test_add_func ("/sip/transaction/server-invite-accepted", test_server_invite_accepted);
  g_test_add_func ("/sip/transaction/server-rfc2543-match", test_server_rfc2543_retransmission);
  g_test_add_func ("/sip/transaction/server-invite-100-trying", test_server_invite_trying);
  g_test_add_func ("/sip/transaction/server-cancel", test_server_cancel);
  g_test_add_func ("/sip/stack/bad-requests-answered", test_stack_bad_requests);
  g_test_add_func ("/sip/stack/unhandled-501", test_stack_unhandled_501);
  g_test_add_func ("/sip/stack/reliable-zero-timers-large-over-tcp",
                   test_reliable_zero_timers_and_large_over_tcp);

  g_test_add_func ("/sip/transaction/reliable-flow-closed", test_reliable_flow_closed);

  return g_test_run ();
}
