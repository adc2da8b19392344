/* test-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailSipDialog from parsed messages, and HailSipSession between two real
 * stacks on 127.0.0.1 (T1 = 20 ms), plus a raw peer that never ACKs.
 */
#include "config.h"

#include "hail-sip-dialog.h"
#include "hail-sip-error.h"
#include "hail-sip-session.h"
#include "hail-test-util.h"
#include "test-stack-util.h"

#include <string.h>

#define WAIT_MS 10000

static HailSipMessage *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  HailSipMessage *message = hail_sip_message_parse_data (text, strlen (text),
                                                         HAIL_SIP_PARSE_DATAGRAM, &error);

  g_assert_no_error (error);
  return message;
}

static const char invite_text[] =
  "INVITE sip:bob@example.test SIP/2.0\r\n"
  "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\n"
  "Record-Route: <sip:p2.example.test;lr>\r\n"
  "Record-Route: <sip:p1.example.test;lr>\r\n"
  "Max-Forwards: 70\r\n"
  "From: <sip:alice@example.test>;tag=aaa\r\n"
  "To: <sip:bob@example.test>\r\n"
  "Call-ID: c1@x\r\n"
  "CSeq: 5 INVITE\r\n"
  "Contact: <sip:alice@127.0.0.1:5070>\r\n"
  "Content-Length: 0\r\n\r\n";

static const char ok_text[] =
  "SIP/2.0 200 OK\r\n"
  "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\n"
  "Record-Route: <sip:p2.example.test;lr>\r\n"
  "Record-Route: <sip:p1.example.test;lr>\r\n"
  "From: <sip:alice@example.test>;tag=aaa\r\n"
  "To: <sip:bob@example.test>;tag=bbb\r\n"
  "Call-ID: c1@x\r\n"
  "CSeq: 5 INVITE\r\n"
  "Contact: <sip:bob@127.0.0.1:5080>\r\n"
  "Content-Length: 0\r\n\r\n";

static void
test_dialog_uac_route_set (void)
{
  g_autoptr(HailSipMessage) invite = parse (invite_text);
  g_autoptr(HailSipMessage) ok = parse (ok_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipDialog) dialog = hail_sip_dialog_new_uac (invite, ok, &error);
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) bye = NULL;
  g_autoptr(HailSipUri) hop = NULL;
  HailSipHeaderIter iter;
  HailSipSpan value;
  GPtrArray *routes;

  g_assert_no_error (error);
  routes = hail_sip_dialog_get_route_set (dialog);
  g_assert_cmpuint (routes->len, ==, 2);
  /* RFC 3261 §12.1.2: the UAC reverses Record-Route. */
  g_assert_cmpstr (g_ptr_array_index (routes, 0), ==, "<sip:p1.example.test;lr>");
  g_assert_cmpstr (g_ptr_array_index (routes, 1), ==, "<sip:p2.example.test;lr>");
  g_assert_cmpstr (hail_sip_dialog_get_local_tag (dialog), ==, "aaa");
  g_assert_cmpstr (hail_sip_dialog_get_remote_tag (dialog), ==, "bbb");
  hop = hail_sip_dialog_dup_next_hop (dialog);
  g_assert_cmpstr (hail_sip_uri_get_host (hop), ==, "p1.example.test");

  builder = hail_sip_dialog_build_request (dialog, "BYE", hail_sip_dialog_next_cseq (dialog),
                                           "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKb2");
  bye = hail_sip_message_builder_finish (builder, &error);
  g_assert_no_error (error);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_request_uri (bye),
                                          "sip:bob@127.0.0.1:5080"));
  g_assert_cmpuint (hail_sip_message_get_cseq (bye)->number, ==, 6);
  hail_sip_message_iter_init (bye, &iter, "Route");
  g_assert_true (hail_sip_header_iter_next (&iter, &value));
  g_assert_true (hail_sip_span_equal_str (value, "<sip:p1.example.test;lr>"));
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_to (bye)->tag, "bbb"));
  g_assert_finalize_object (g_steal_pointer (&dialog));
}

static void
test_dialog_uas_lower_cseq (void)
{
  g_autoptr(HailSipMessage) invite = parse (invite_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipDialog) dialog = hail_sip_dialog_new_uas (invite, "bbb", &error);
  g_autoptr(HailSipMessage) old = NULL;
  g_autofree char *text = NULL;
  guint status = 0;

  g_assert_no_error (error);
  /* §12.1.1: the UAS keeps Record-Route in order. */
  g_assert_cmpstr (g_ptr_array_index (hail_sip_dialog_get_route_set (dialog), 0), ==,
                   "<sip:p2.example.test;lr>");
  text = g_strdup (invite_text);
  memcpy (strstr (text, "CSeq: 5"), "CSeq: 4", 7);
  memcpy (strstr (text, "To: <sip:bob@example.test>"), "To: <sip:bob@example.test>", 26);
  old = parse (text);
  g_assert_false (hail_sip_dialog_receive_request (dialog, old, &status, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_cmpuint (status, ==, 500);
  g_assert_finalize_object (g_steal_pointer (&dialog));
}

static void
test_dialog_needs_contact (void)
{
  g_autofree char *text = g_strdup (invite_text);
  g_autoptr(HailSipMessage) invite = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipDialog) dialog = NULL;
  char *contact = strstr (text, "Contact:");

  memcpy (contact, "Xontact:", 8);
  invite = parse (text);
  dialog = hail_sip_dialog_new_uas (invite, "bbb", &error);
  g_assert_null (dialog);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

/* ---- Sessions between two stacks ---- */

typedef enum {
  UAS_ACCEPT,
  UAS_RING,
  UAS_EARLY,
  UAS_REJECT,
} UasMode;

typedef struct {
  HailSipStack   *caller_stack;
  HailSipStack   *callee_stack;
  HailSipSession *caller;
  HailSipSession *callee;
  UasMode         mode;
  guint           reject_status;
  GBytes         *remote_answer;
  GBytes         *offer_seen;
  guint           callee_min_se;   /* 0: the default. */
  guint           callee_invites;  /* Initial INVITEs the callee took. */
  HailSipMessage *last_update;     /* The last UPDATE the callee got. */
  gboolean        invite_done;
  GError         *invite_error;
  gboolean        hangup_done;
} Fixture;

static GBytes *
sdp (const char *direction)
{
  g_autofree char *text = g_strdup_printf ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                                           "c=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                                           "m=audio 4000 RTP/AVP 0\r\na=%s\r\n", direction);

  return g_bytes_new (text, strlen (text));
}

static GBytes *
remote_offer_cb (HailSipSession *session,
                 GBytes         *offer,
                 Fixture        *f)
{
  g_clear_pointer (&f->offer_seen, g_bytes_unref);
  f->offer_seen = offer != NULL ? g_bytes_ref (offer) : NULL;
  return sdp ("recvonly");
}

static gboolean
callee_request_cb (HailSipStack             *stack,
                   HailSipServerTransaction *txn,
                   HailSipMessage           *request,
                   Fixture                  *f)
{
  g_autoptr(GError) error = NULL;

  if (hail_sip_message_is_method (request, "UPDATE"))
    {
      g_clear_pointer (&f->last_update, hail_sip_message_unref);
      f->last_update = hail_sip_message_ref (request);
    }
  if (f->callee != NULL && hail_sip_session_handle_request (f->callee, txn, request))
    return TRUE;
  if (txn == NULL || !hail_sip_message_is_method (request, "INVITE"))
    return FALSE;
  {
    g_autoptr(HailSipUri) local = hail_sip_uri_parse ("sip:bob@127.0.0.1", -1, NULL);

    /* A new call, or the same one again after our 422. */
    g_clear_object (&f->callee);
    f->callee = hail_sip_session_new_incoming (stack, txn, request, local, &error);
  }
  g_assert_no_error (error);
  f->callee_invites++;
  g_assert_nonnull (hail_sip_session_get_remote_offer (f->callee));
  g_signal_connect (f->callee, "remote-offer", G_CALLBACK (remote_offer_cb), f);
  if (f->callee_min_se != 0)
    hail_sip_session_set_timer (f->callee, HAIL_SIP_SESSION_EXPIRES, f->callee_min_se);
  if (!hail_sip_session_check_timer (f->callee, &error))
    {
      g_assert_error (error, HAIL_SIP_STATUS_ERROR, 422);
      return TRUE;
    }
  if (f->mode == UAS_EARLY)
    {
      g_autoptr(GBytes) early = sdp ("sendrecv");

      g_assert_true (hail_sip_session_ring (f->callee, early, &error));
      g_assert_no_error (error);
      return TRUE;
    }
  g_assert_true (hail_sip_session_ring (f->callee, NULL, &error));
  g_assert_no_error (error);
  if (f->mode == UAS_ACCEPT)
    {
      g_autoptr(GBytes) answer = sdp ("sendrecv");

      g_assert_true (hail_sip_session_accept (f->callee, answer, &error));
      g_assert_no_error (error);
    }
  else if (f->mode == UAS_REJECT)
    {
      g_assert_true (hail_sip_session_reject (f->callee, f->reject_status, &error));
      g_assert_no_error (error);
    }
  return TRUE;
}

static gboolean
caller_request_cb (HailSipStack             *stack,
                   HailSipServerTransaction *txn,
                   HailSipMessage           *request,
                   Fixture                  *f)
{
  return f->caller != NULL && hail_sip_session_handle_request (f->caller, txn, request);
}

static void
remote_answer_cb (HailSipSession *session,
                  GBytes         *answer,
                  Fixture        *f)
{
  g_clear_pointer (&f->remote_answer, g_bytes_unref);
  f->remote_answer = g_bytes_ref (answer);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(HailSipUri) local = hail_sip_uri_parse ("sip:alice@127.0.0.1", -1, NULL);
  g_autoptr(HailSipUri) remote = NULL;
  g_autofree char *remote_text = NULL;
  GInetSocketAddress *address;

  f->caller_stack = test_stack_new (FALSE);
  f->callee_stack = test_stack_new (FALSE);
  g_signal_connect (f->callee_stack, "request", G_CALLBACK (callee_request_cb), f);
  g_signal_connect (f->caller_stack, "request", G_CALLBACK (caller_request_cb), f);
  address = hail_sip_stack_get_listen_address (f->callee_stack, HAIL_SIP_TRANSPORT_KIND_UDP);
  remote_text = g_strdup_printf ("sip:bob@127.0.0.1:%u", g_inet_socket_address_get_port (address));
  remote = hail_sip_uri_parse (remote_text, -1, NULL);
  f->caller = hail_sip_session_new_outgoing (f->caller_stack, NULL, local, remote, NULL,
                                             HAIL_SIP_TRANSPORT_KIND_UDP);
  g_signal_connect (f->caller, "remote-answer", G_CALLBACK (remote_answer_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Let stray retransmissions land before the stacks go. */
  test_drain (50);
  g_clear_object (&f->caller);
  g_clear_object (&f->callee);
  g_clear_object (&f->caller_stack);
  g_clear_object (&f->callee_stack);
  g_clear_pointer (&f->remote_answer, g_bytes_unref);
  g_clear_pointer (&f->offer_seen, g_bytes_unref);
  g_clear_pointer (&f->last_update, hail_sip_message_unref);
  g_clear_error (&f->invite_error);
}

static void
invite_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  hail_sip_session_invite_finish (HAIL_SIP_SESSION (source), result, &f->invite_error);
  f->invite_done = TRUE;
}

static void
hangup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_true (hail_sip_session_hangup_finish (HAIL_SIP_SESSION (source), result, NULL));
  f->hangup_done = TRUE;
}

static gboolean
invite_done (gpointer data)
{
  return ((Fixture *) data)->invite_done;
}

static gboolean
hangup_done (gpointer data)
{
  return ((Fixture *) data)->hangup_done;
}

static gboolean
callee_state_is (Fixture             *f,
                 HailSipSessionState  state)
{
  return f->callee != NULL && hail_sip_session_get_state (f->callee) == state;
}

static gboolean
callee_established (gpointer data)
{
  return callee_state_is (data, HAIL_SIP_SESSION_STATE_ESTABLISHED);
}

static gboolean
callee_terminated (gpointer data)
{
  return callee_state_is (data, HAIL_SIP_SESSION_STATE_TERMINATED);
}

static gboolean
callee_ringing (gpointer data)
{
  return callee_state_is (data, HAIL_SIP_SESSION_STATE_RINGING);
}

static gboolean
caller_ringing (gpointer data)
{
  return hail_sip_session_get_state (((Fixture *) data)->caller) == HAIL_SIP_SESSION_STATE_RINGING;
}

static gboolean
caller_terminated (gpointer data)
{
  return hail_sip_session_get_state (((Fixture *) data)->caller)
         == HAIL_SIP_SESSION_STATE_TERMINATED;
}

static void
start_call (Fixture *f)
{
  g_autoptr(GBytes) offer = sdp ("sendrecv");

  hail_sip_session_invite_async (f->caller, offer, NULL, invite_cb, f);
  g_assert_true (hail_test_wait_until (invite_done, f, WAIT_MS));
}

static void
test_session_call_and_hangup (Fixture       *f,
                              gconstpointer  data)
{
  f->mode = UAS_ACCEPT;
  start_call (f);
  g_assert_no_error (f->invite_error);
  g_assert_cmpint (hail_sip_session_get_state (f->caller), ==, HAIL_SIP_SESSION_STATE_ESTABLISHED);
  g_assert_nonnull (f->remote_answer);
  /* The ACK reaches the callee, which stops retransmitting its 200. */
  g_assert_true (hail_test_wait_until (callee_established, f, WAIT_MS));

  hail_sip_session_hangup_async (f->caller, NULL, hangup_cb, f);
  g_assert_true (hail_test_wait_until (hangup_done, f, WAIT_MS));
  g_assert_cmpint (hail_sip_session_get_state (f->caller), ==, HAIL_SIP_SESSION_STATE_TERMINATED);
  g_assert_cmpuint (hail_sip_session_get_status (f->caller), ==, 0);
  g_assert_true (hail_test_wait_until (callee_terminated, f, WAIT_MS));
  g_assert_cmpstr (hail_sip_session_get_reason (f->callee), ==, "The peer hung up");
}

static void
test_session_remote_bye (Fixture       *f,
                         gconstpointer  data)
{
  f->mode = UAS_ACCEPT;
  start_call (f);
  g_assert_no_error (f->invite_error);
  g_assert_true (hail_test_wait_until (callee_established, f, WAIT_MS));
  hail_sip_session_hangup_async (f->callee, NULL, hangup_cb, f);
  g_assert_true (hail_test_wait_until (caller_terminated, f, WAIT_MS));
  g_assert_cmpstr (hail_sip_session_get_reason (f->caller), ==, "The peer hung up");
  g_assert_true (hail_test_wait_until (hangup_done, f, WAIT_MS));
}

static void
test_session_busy (Fixture       *f,
                   gconstpointer  data)
{
  f->mode = UAS_REJECT;
  f->reject_status = 486;
  start_call (f);
  g_assert_error (f->invite_error, HAIL_SIP_STATUS_ERROR, 486);
  g_assert_cmpint (hail_sip_session_get_state (f->caller), ==, HAIL_SIP_SESSION_STATE_TERMINATED);
  g_assert_cmpuint (hail_sip_session_get_status (f->caller), ==, 486);
  g_assert_cmpuint (hail_sip_session_get_status (f->callee), ==, 486);
}

static void
test_session_cancel (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) offer = sdp ("sendrecv");

  f->mode = UAS_RING;
  hail_sip_session_invite_async (f->caller, offer, NULL, invite_cb, f);
  g_assert_true (hail_test_wait_until (caller_ringing, f, WAIT_MS));
  g_assert_true (hail_test_wait_until (callee_ringing, f, WAIT_MS));
  hail_sip_session_hangup_async (f->caller, NULL, hangup_cb, f);
  g_assert_true (hail_test_wait_until (invite_done, f, WAIT_MS));
  g_assert_error (f->invite_error, HAIL_SIP_STATUS_ERROR, 487);
  g_assert_true (hail_test_wait_until (hangup_done, f, WAIT_MS));
  g_assert_cmpuint (hail_sip_session_get_status (f->caller), ==, 487);
  g_assert_true (callee_terminated (f));
  g_assert_cmpuint (hail_sip_session_get_status (f->callee), ==, 487);
}

static void
reinvite_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = hail_sip_session_reinvite_finish (HAIL_SIP_SESSION (source), result,
                                                                &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  f->hangup_done = TRUE;
}

typedef void (*OfferFunc) (HailSipSession      *self,
                           GBytes              *offer,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data);

/* The test data names the request that carries a new offer. */
static OfferFunc
offer_func (gconstpointer data)
{
  return g_str_equal (data, "UPDATE") ? hail_sip_session_update_async
                                      : hail_sip_session_reinvite_async;
}

/* Hold by re-INVITE, or by UPDATE (RFC 3311, no ACK): the callee
 * answers recvonly. */
static void
test_session_reinvite_hold (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GBytes) hold = sdp ("sendonly");
  g_autoptr(GBytes) answer = sdp ("recvonly");

  f->mode = UAS_ACCEPT;
  start_call (f);
  g_assert_no_error (f->invite_error);
  g_assert_true (hail_test_wait_until (callee_established, f, WAIT_MS));
  offer_func (data) (f->caller, hold, NULL, reinvite_cb, f);
  g_assert_true (hail_test_wait_until (hangup_done, f, WAIT_MS));
  g_assert_nonnull (f->offer_seen);
  g_assert_true (g_bytes_equal (f->offer_seen, hold));
  g_assert_true (g_bytes_equal (f->remote_answer, answer));
  g_assert_true ((f->last_update != NULL) == g_str_equal (data, "UPDATE"));
  g_assert_cmpint (hail_sip_session_get_state (f->caller), ==, HAIL_SIP_SESSION_STATE_ESTABLISHED);
  g_assert_cmpint (hail_sip_session_get_state (f->callee), ==, HAIL_SIP_SESSION_STATE_ESTABLISHED);
}

static void
glare_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  guint *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = hail_sip_session_reinvite_finish (HAIL_SIP_SESSION (source), result,
                                                                &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  (*done)++;
}

static gboolean
both_done (gpointer data)
{
  return *(guint *) data == 2;
}

/* Both sides re-INVITE (or UPDATE) at once: each answers the other 491
 * and tries again after RFC 3261 §14.1's random delay, the callee
 * first. */
static void
test_session_glare (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) hold = sdp ("sendonly");
  g_autoptr(GBytes) other = sdp ("sendonly");
  guint done = 0;

  f->mode = UAS_ACCEPT;
  start_call (f);
  g_assert_no_error (f->invite_error);
  g_assert_true (hail_test_wait_until (callee_established, f, WAIT_MS));
  g_signal_connect (f->caller, "remote-offer", G_CALLBACK (remote_offer_cb), f);
  offer_func (data) (f->caller, hold, NULL, glare_cb, &done);
  offer_func (data) (f->callee, other, NULL, glare_cb, &done);
  g_assert_true (hail_test_wait_until (both_done, &done, 3 * WAIT_MS));
  g_assert_cmpint (hail_sip_session_get_state (f->caller), ==, HAIL_SIP_SESSION_STATE_ESTABLISHED);
  g_assert_cmpint (hail_sip_session_get_state (f->callee), ==, HAIL_SIP_SESSION_STATE_ESTABLISHED);
}

static void
refer_cb (HailSipSession *session,
          const char     *target,
          Fixture        *f)
{
  g_clear_pointer (&f->offer_seen, g_bytes_unref);
  f->offer_seen = g_bytes_new (target, strlen (target));
  /* The transferee's new call "answered". */
  hail_sip_session_notify_refer (session, 200);
}

static void
refer_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_true (hail_sip_session_refer_finish (HAIL_SIP_SESSION (source), result,
                                                &f->invite_error));
  f->hangup_done = TRUE;
}

/* RFC 3515 both ways: the caller transfers the callee, which answers 202,
 * reports 100 and then 200 in NOTIFYs; the caller's REFER completes. */
static void
test_session_blind_transfer (Fixture       *f,
                             gconstpointer  data)
{
  f->mode = UAS_ACCEPT;
  start_call (f);
  g_assert_no_error (f->invite_error);
  g_assert_true (hail_test_wait_until (callee_established, f, WAIT_MS));
  g_signal_connect (f->callee, "refer", G_CALLBACK (refer_cb), f);
  hail_sip_session_refer_async (f->caller, "sip:carol@127.0.0.1:5999", NULL, refer_done_cb, f);
  g_assert_true (hail_test_wait_until (hangup_done, f, WAIT_MS));
  g_assert_no_error (f->invite_error);
  g_assert_nonnull (f->offer_seen);
  g_assert_cmpmem (g_bytes_get_data (f->offer_seen, NULL), g_bytes_get_size (f->offer_seen),
                   "sip:carol@127.0.0.1:5999", 24);
}

static void
test_session_unknown_dialog (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(HailSipMessage) bye = parse (
    "BYE sip:bob@127.0.0.1 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKzz\r\n"
    "From: <sip:alice@example.test>;tag=nope\r\n"
    "To: <sip:bob@example.test>;tag=nada\r\n"
    "Call-ID: unknown@x\r\nCSeq: 9 BYE\r\nContent-Length: 0\r\n\r\n");

  f->mode = UAS_ACCEPT;
  start_call (f);
  g_assert_no_error (f->invite_error);
  /* Not this dialog: the caller of handle_request answers 481. */
  g_assert_false (hail_sip_session_handle_request (f->caller, NULL, bye));
}

/* The raw peer's request @method to the callee: dialog @tag (NULL
 * outside one), @cseq, @extra header lines and the test offer. */
static char *
raw_offer (RawPeer    *peer,
           const char *method,
           const char *call_id,
           const char *tag,
           guint       cseq,
           const char *extra)
{
  const char *offer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                      "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
  guint port = g_inet_socket_address_get_port (peer->address);

  return g_strdup_printf ("%s sip:bob@127.0.0.1 SIP/2.0\r\n"
                          "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%s%u\r\n"
                          "Max-Forwards: 70\r\nFrom: <sip:sipp@127.0.0.1>;tag=peer\r\n"
                          "To: <sip:bob@127.0.0.1>%s%s\r\n"
                          "Call-ID: %s@x\r\nCSeq: %u %s\r\n"
                          "Contact: <sip:sipp@127.0.0.1:%u>\r\n%s"
                          "Content-Type: application/sdp\r\nContent-Length: %zu\r\n\r\n%s",
                          method, port, call_id, cseq, tag != NULL ? ";tag=" : "",
                          tag != NULL ? tag : "", call_id, cseq, method, port, extra,
                          strlen (offer), offer);
}

/* The raw peer calls the callee, which answers 200 (and never hears
 * an ACK unless the test sends one). */
static void
raw_call_accepted (Fixture    *f,
                   RawPeer    *peer,
                   const char *call_id)
{
  GInetSocketAddress *address =
    hail_sip_stack_get_listen_address (f->callee_stack, HAIL_SIP_TRANSPORT_KIND_UDP);
  g_autofree char *invite = raw_offer (peer, "INVITE", call_id, NULL, 1, "");

  f->mode = UAS_ACCEPT;
  raw_peer_send (peer, address, invite);
}

/* A peer that sends INVITE and never ACKs the 200: timers G and H, then
 * a BYE (RFC 3261 §13.3.1.4). */
static void
test_session_no_ack (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  guint oks = 0;
  gboolean bye = FALSE;

  raw_call_accepted (f, peer, "noack");
  /* 180, 200 and its retransmissions, then BYE, all within 64*T1. */
  for (guint n = 2; n < 40 && !bye; n++)
    {
      HailSipMessage *m;

      if (!raw_peer_wait (peer, n, WAIT_MS))
        break;
      m = raw_peer_message (peer, n - 1);
      if (m != NULL && !hail_sip_message_is_request (m) && hail_sip_message_get_status (m) == 200)
        oks++;
      if (m != NULL && hail_sip_message_is_method (m, "BYE"))
        bye = TRUE;
    }
  g_assert_cmpuint (oks, >=, 3);
  g_assert_true (bye);
  g_assert_cmpstr (hail_sip_session_get_reason (f->callee), ==,
                   "The peer never acknowledged the answer");
}

/* A session disposed while its hangup waits for the ACK of its 200
 * (RFC 3261 §15: BYE only after the ACK) must end and let its hangup
 * complete: dispose stops timer H, and the hangup task and the session
 * held each other, a leak (found by fuzz-session). */
static void
test_session_dispose_pending_hangup (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  HailSipSession *callee;

  raw_call_accepted (f, peer, "dispose");
  g_assert_true (raw_peer_wait (peer, 2, WAIT_MS));   /* 180, 200 */
  g_assert_cmpint (hail_sip_session_get_state (f->callee), ==,
                   HAIL_SIP_SESSION_STATE_CONNECTING);
  hail_sip_session_hangup_async (f->callee, NULL, hangup_cb, f);
  g_assert_false (f->hangup_done);

  callee = g_steal_pointer (&f->callee);
  g_object_run_dispose (G_OBJECT (callee));
  g_assert_true (hail_test_wait_until (hangup_done, f, WAIT_MS));
  g_assert_cmpint (hail_sip_session_get_state (callee), ==, HAIL_SIP_SESSION_STATE_TERMINATED);
  g_assert_cmpstr (hail_sip_session_get_reason (callee), ==, "The session was disposed");
  g_assert_finalize_object (callee);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The same for an INVITE nobody answers: its transaction's completion
 * held the session until timer B (found by fuzz-session). */
static void
test_session_dispose_pending_invite (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  g_autoptr(HailSipUri) local = hail_sip_uri_parse ("sip:alice@127.0.0.1", -1, NULL);
  g_autoptr(HailSipUri) remote = NULL;
  g_autofree char *remote_text = NULL;
  g_autoptr(GBytes) offer = sdp ("sendrecv");
  HailSipSession *caller;

  remote_text = g_strdup_printf ("sip:bob@127.0.0.1:%u",
                                 g_inet_socket_address_get_port (peer->address));
  remote = hail_sip_uri_parse (remote_text, -1, NULL);
  caller = hail_sip_session_new_outgoing (f->caller_stack, NULL, local, remote, NULL,
                                          HAIL_SIP_TRANSPORT_KIND_UDP);
  hail_sip_session_invite_async (caller, offer, NULL, invite_cb, f);
  g_assert_true (raw_peer_wait (peer, 1, WAIT_MS));
  g_assert_false (f->invite_done);

  g_object_run_dispose (G_OBJECT (caller));
  g_assert_true (hail_test_wait_until (invite_done, f, WAIT_MS));
  g_assert_error (f->invite_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The request sender hands the transaction's end back from an idle:
   * the last reference goes soon after, not at once. */
  g_object_add_weak_pointer (G_OBJECT (caller), (gpointer *) &caller);
  g_object_unref (caller);
  g_assert_true (hail_test_wait_until (pointer_cleared, &caller, WAIT_MS));
}

static guint
find_method (RawPeer    *peer,
             const char *method,
             guint       from)
{
  for (guint i = from; i < peer->received->len; i++)
    {
      HailSipMessage *m = raw_peer_message (peer, i);

      if (m != NULL && hail_sip_message_is_method (m, method))
        return i;
    }
  return G_MAXUINT;
}

typedef struct {
  RawPeer    *peer;
  const char *method;
} FindData;

static gboolean
has_method (gpointer data)
{
  FindData *find = data;

  return find_method (find->peer, find->method, 0) != G_MAXUINT;
}

/* RFC 3261 §9.1: the callee's 200 crosses our CANCEL; the caller must
 * ACK it and then end the call with BYE. */
static void
test_session_cancel_races_200 (void)
{
  g_autoptr(HailSipStack) stack = test_stack_new (FALSE);
  g_autoptr(RawPeer) peer = raw_peer_new ();
  g_autoptr(HailSipUri) local = hail_sip_uri_parse ("sip:alice@127.0.0.1", -1, NULL);
  g_autoptr(HailSipUri) remote = NULL;
  g_autoptr(HailSipSession) session = NULL;
  g_autoptr(GBytes) offer = sdp ("sendrecv");
  g_autofree char *remote_text = NULL;
  g_autofree char *contact = NULL;
  Fixture f = { 0 };
  FindData find = { peer, "CANCEL" };
  guint invite, bye;

  remote_text = g_strdup_printf ("sip:bob@127.0.0.1:%u",
                                 g_inet_socket_address_get_port (peer->address));
  remote = hail_sip_uri_parse (remote_text, -1, NULL);
  contact = g_strdup_printf ("Contact: <%s>\r\n", remote_text);
  session = hail_sip_session_new_outgoing (stack, NULL, local, remote, NULL,
                                           HAIL_SIP_TRANSPORT_KIND_UDP);
  f.caller = session;
  g_signal_connect (stack, "request", G_CALLBACK (caller_request_cb), &f);
  hail_sip_session_invite_async (session, offer, NULL, invite_cb, &f);
  g_assert_true (raw_peer_wait (peer, 1, WAIT_MS));
  invite = find_method (peer, "INVITE", 0);
  g_assert_cmpuint (invite, ==, 0);
  raw_peer_reply (peer, invite, 180, contact);
  g_assert_true (hail_test_wait_until (caller_ringing, &f, WAIT_MS));

  hail_sip_session_hangup_async (session, NULL, hangup_cb, &f);
  g_assert_true (hail_test_wait_until (has_method, &find, WAIT_MS));
  /* The 200 was already on its way: it wins. */
  raw_peer_reply (peer, invite, 200, contact);
  find.method = "BYE";
  g_assert_true (hail_test_wait_until (has_method, &find, WAIT_MS));
  bye = find_method (peer, "BYE", 0);
  g_assert_cmpuint (find_method (peer, "ACK", 0), <, bye);
  raw_peer_reply (peer, bye, 200, NULL);
  g_assert_true (hail_test_wait_until (hangup_done, &f, WAIT_MS));
  g_assert_true (f.invite_done);
  g_assert_error (f.invite_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (hail_sip_session_get_state (session), ==, HAIL_SIP_SESSION_STATE_TERMINATED);
  g_clear_error (&f.invite_error);
  g_signal_handlers_disconnect_by_data (stack, &f);
  test_drain (50);
}

/* RFC 3261 §9.1: a callee that ignores our CANCEL (no 487): the call
 * is given up 64*T1 later. */
static void
test_session_cancel_unanswered (void)
{
  g_autoptr(HailSipStack) stack = test_stack_new (FALSE);
  g_autoptr(RawPeer) peer = raw_peer_new ();
  g_autoptr(HailSipUri) local = hail_sip_uri_parse ("sip:alice@127.0.0.1", -1, NULL);
  g_autoptr(HailSipUri) remote = NULL;
  g_autoptr(HailSipSession) session = NULL;
  g_autoptr(GBytes) offer = sdp ("sendrecv");
  g_autofree char *remote_text = NULL;
  Fixture f = { 0 };
  FindData find = { peer, "CANCEL" };

  remote_text = g_strdup_printf ("sip:bob@127.0.0.1:%u",
                                 g_inet_socket_address_get_port (peer->address));
  remote = hail_sip_uri_parse (remote_text, -1, NULL);
  session = hail_sip_session_new_outgoing (stack, NULL, local, remote, NULL,
                                           HAIL_SIP_TRANSPORT_KIND_UDP);
  f.caller = session;
  hail_sip_session_invite_async (session, offer, NULL, invite_cb, &f);
  g_assert_true (raw_peer_wait (peer, 1, WAIT_MS));
  raw_peer_reply (peer, 0, 100, NULL);
  hail_sip_session_hangup_async (session, NULL, hangup_cb, &f);
  g_assert_true (hail_test_wait_until (has_method, &find, WAIT_MS));
  /* Neither the CANCEL nor the INVITE gets an answer. */
  g_assert_true (hail_test_wait_until (hangup_done, &f, WAIT_MS));
  g_assert_error (f.invite_error, HAIL_SIP_STATUS_ERROR, 487);
  g_assert_cmpuint (hail_sip_session_get_status (session), ==, 487);
  g_clear_error (&f.invite_error);
}

/* RFC 4028: a caller that asks for a session timer gets it confirmed in
 * the 200 (Session-Expires with the refresher, Require: timer). */
static void
test_session_timer_confirmed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  GInetSocketAddress *address =
    hail_sip_stack_get_listen_address (f->callee_stack, HAIL_SIP_TRANSPORT_KIND_UDP);
  g_autofree char *invite = raw_offer (peer, "INVITE", "timer", NULL, 1,
                                       "Supported: timer\r\nSession-Expires: 120\r\n");
  HailSipMessage *ok = NULL;
  HailSipSpan value;

  f->mode = UAS_ACCEPT;
  raw_peer_send (peer, address, invite);
  for (guint n = 1; n < 10 && ok == NULL; n++)
    {
      HailSipMessage *m;

      g_assert_true (raw_peer_wait (peer, n, WAIT_MS));
      m = raw_peer_message (peer, n - 1);
      if (m != NULL && !hail_sip_message_is_request (m) && hail_sip_message_get_status (m) == 200)
        ok = m;
    }
  g_assert_nonnull (ok);
  g_assert_true (hail_sip_message_get_header (ok, "Session-Expires", &value));
  g_assert_true (hail_sip_span_equal_str (value, "120;refresher=uac"));
  g_assert_true (hail_sip_message_has_option (ok, HAIL_SIP_HEADER_REQUIRE, "timer"));
  /* The caller refreshes; we only watch. */
  g_assert_cmpuint (hail_sip_session_get_session_expires (f->callee), ==, 120);
}

/* ---- UPDATE (RFC 3311) ---- */

static gboolean
callee_got_update (gpointer data)
{
  return ((Fixture *) data)->last_update != NULL;
}

static gboolean
caller_early (gpointer data)
{
  return hail_sip_session_get_state (((Fixture *) data)->caller) == HAIL_SIP_SESSION_STATE_EARLY;
}

/* RFC 3311 §5.2: an UPDATE with an offer in the early dialog (after the
 * 183's answer) gets its answer while the INVITE is still pending; the
 * call then goes on to be answered. */
static void
test_session_update_early (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) offer = sdp ("sendrecv");
  g_autoptr(GBytes) hold = sdp ("sendonly");
  g_autoptr(GBytes) answer = sdp ("recvonly");
  g_autoptr(GError) error = NULL;

  f->mode = UAS_EARLY;
  hail_sip_session_invite_async (f->caller, offer, NULL, invite_cb, f);
  g_assert_true (hail_test_wait_until (caller_early, f, WAIT_MS));
  hail_sip_session_update_async (f->caller, hold, NULL, reinvite_cb, f);
  g_assert_true (hail_test_wait_until (hangup_done, f, WAIT_MS));
  g_assert_true (g_bytes_equal (f->offer_seen, hold));
  g_assert_true (g_bytes_equal (f->remote_answer, answer));
  g_assert_cmpint (hail_sip_session_get_state (f->callee), ==, HAIL_SIP_SESSION_STATE_EARLY);
  g_assert_false (f->invite_done);

  g_assert_true (hail_sip_session_accept (f->callee, answer, &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (invite_done, f, WAIT_MS));
  g_assert_no_error (f->invite_error);
  g_assert_true (hail_test_wait_until (callee_established, f, WAIT_MS));
}

/* ---- Session timers (RFC 4028) ---- */

/* The caller asks for 2 s; the callee wants 3 s at least and answers
 * 422; the caller asks again (same Call-ID, next CSeq) for 3 s, becomes
 * the refresher and refreshes half-way with an UPDATE without a body,
 * since the callee allows UPDATE. */
static void
test_session_timer_422_and_update_refresh (Fixture       *f,
                                           gconstpointer  data)
{
  HailSipSpan value;

  f->mode = UAS_ACCEPT;
  f->callee_min_se = 3;
  hail_sip_session_set_timer (f->caller, 2, 1);
  start_call (f);
  g_assert_no_error (f->invite_error);
  g_assert_cmpuint (f->callee_invites, ==, 2);
  g_assert_cmpstr (hail_sip_session_get_call_id (f->caller), ==,
                   hail_sip_session_get_call_id (f->callee));
  g_assert_cmpuint (hail_sip_session_get_session_expires (f->caller), ==, 3);
  g_assert_cmpuint (hail_sip_session_get_session_expires (f->callee), ==, 3);
  g_assert_true (hail_sip_session_get_refresher (f->caller));
  g_assert_false (hail_sip_session_get_refresher (f->callee));
  g_assert_true (hail_test_wait_until (callee_established, f, WAIT_MS));

  g_assert_true (hail_test_wait_until (callee_got_update, f, WAIT_MS));
  g_assert_cmpuint (hail_sip_message_get_body (f->last_update).len, ==, 0);
  g_assert_true (hail_sip_message_get_header (f->last_update, "Session-Expires", &value));
  g_assert_true (hail_sip_span_equal_str (value, "3;refresher=uac"));
  g_assert_true (hail_sip_message_get_header (f->last_update, "Min-SE", &value));
  g_assert_true (hail_sip_span_equal_str (value, "3"));
  g_assert_cmpint (hail_sip_session_get_state (f->caller), ==, HAIL_SIP_SESSION_STATE_ESTABLISHED);
}

static HailSipMessage *
raw_peer_wait_message (RawPeer  *peer,
                       gboolean  request,
                       guint     status_or_0)
{
  for (guint n = 1; n < 32; n++)
    {
      HailSipMessage *m;

      g_assert_true (raw_peer_wait (peer, n, WAIT_MS));
      m = raw_peer_message (peer, n - 1);
      if (m != NULL && !request && !hail_sip_message_is_request (m)
          && hail_sip_message_get_status (m) == status_or_0)
        return m;
    }
  g_assert_not_reached ();
}

/* RFC 4028 §8.1: an INVITE asking for 60 s from a callee whose minimum
 * is 90 s gets 422 with Min-SE: 90. */
static void
test_session_timer_422_answered (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  GInetSocketAddress *address =
    hail_sip_stack_get_listen_address (f->callee_stack, HAIL_SIP_TRANSPORT_KIND_UDP);
  g_autofree char *invite = raw_offer (peer, "INVITE", "brief", NULL, 1,
                                       "Supported: timer\r\nSession-Expires: 60\r\n"
                                       "Min-SE: 60\r\n");
  HailSipMessage *too_small;
  HailSipSpan value;

  f->mode = UAS_ACCEPT;
  raw_peer_send (peer, address, invite);
  too_small = raw_peer_wait_message (peer, FALSE, 422);
  g_assert_true (hail_sip_message_get_header (too_small, "Min-SE", &value));
  g_assert_true (hail_sip_span_equal_str (value, "90"));
  g_assert_cmpint (hail_sip_session_get_state (f->callee), ==, HAIL_SIP_SESSION_STATE_TERMINATED);
  g_assert_cmpuint (hail_sip_session_get_status (f->callee), ==, 422);
}

/* The caller against a raw callee whose 200 sets the session timer with
 * the callee as refresher; @allow is the callee's Allow. Returns the
 * index of the INVITE. */
static guint
raw_callee_answers (Fixture    *f,
                    RawPeer    *peer,
                    const char *expires,
                    const char *allow)
{
  g_autoptr(HailSipUri) local = hail_sip_uri_parse ("sip:alice@127.0.0.1", -1, NULL);
  g_autoptr(HailSipUri) remote = NULL;
  g_autoptr(GBytes) offer = sdp ("sendrecv");
  g_autofree char *remote_text = NULL;
  g_autofree char *extra = NULL;
  guint invite;

  remote_text = g_strdup_printf ("sip:bob@127.0.0.1:%u",
                                 g_inet_socket_address_get_port (peer->address));
  remote = hail_sip_uri_parse (remote_text, -1, NULL);
  g_clear_object (&f->caller);
  f->caller = hail_sip_session_new_outgoing (f->caller_stack, NULL, local, remote, NULL,
                                             HAIL_SIP_TRANSPORT_KIND_UDP);
  hail_sip_session_set_timer (f->caller, 2, 1);
  hail_sip_session_invite_async (f->caller, offer, NULL, invite_cb, f);
  g_assert_true (raw_peer_wait (peer, 1, WAIT_MS));
  invite = find_method (peer, "INVITE", 0);
  g_assert_cmpuint (invite, ==, 0);
  extra = g_strdup_printf ("Contact: <%s>\r\nSession-Expires: %s\r\nRequire: timer\r\n"
                           "Allow: %s\r\n", remote_text, expires, allow);
  raw_peer_reply (peer, invite, 200, extra);
  g_assert_true (hail_test_wait_until (invite_done, f, WAIT_MS));
  g_assert_no_error (f->invite_error);
  return invite;
}

/* RFC 4028 §10: the callee is the refresher and never refreshes: the
 * caller sends BYE before the interval ends (after 2 of its 3 s). */
static void
test_session_timer_expires (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  FindData find = { peer, "BYE" };
  guint bye;

  raw_callee_answers (f, peer, "3;refresher=uas", "INVITE, ACK, BYE, UPDATE");
  g_assert_false (hail_sip_session_get_refresher (f->caller));
  g_assert_cmpuint (hail_sip_session_get_session_expires (f->caller), ==, 3);
  g_assert_true (hail_test_wait_until (has_method, &find, WAIT_MS));
  bye = find_method (peer, "BYE", 0);
  /* We watched; we did not refresh. */
  g_assert_cmpuint (find_method (peer, "UPDATE", 0), ==, G_MAXUINT);
  g_assert_cmpuint (find_method (peer, "INVITE", 1), ==, G_MAXUINT);
  raw_peer_reply (peer, bye, 200, NULL);
  g_assert_true (hail_test_wait_until (caller_terminated, f, WAIT_MS));
  g_assert_cmpstr (hail_sip_session_get_reason (f->caller), ==, "The session expired");
}

/* A refresher whose peer does not allow UPDATE refreshes with a
 * re-INVITE offering the unchanged session, with Min-SE. */
static void
test_session_timer_reinvite_refresh (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  FindData find = { peer, "ACK" };
  HailSipMessage *refresh;
  HailSipSpan value;
  guint ack, again;

  raw_callee_answers (f, peer, "2;refresher=uac", "INVITE, ACK, BYE");
  g_assert_true (hail_sip_session_get_refresher (f->caller));
  g_assert_true (hail_test_wait_until (has_method, &find, WAIT_MS));
  ack = find_method (peer, "ACK", 0);
  for (again = G_MAXUINT; again == G_MAXUINT; again = find_method (peer, "INVITE", ack))
    g_assert_true (raw_peer_wait (peer, peer->received->len + 1, WAIT_MS));
  refresh = raw_peer_message (peer, again);
  g_assert_cmpuint (hail_sip_message_get_body (refresh).len, >, 0);
  g_assert_true (hail_sip_message_get_header (refresh, "Session-Expires", &value));
  g_assert_true (hail_sip_span_equal_str (value, "2;refresher=uac"));
  g_assert_true (hail_sip_message_get_header (refresh, "Min-SE", &value));
  g_assert_true (hail_sip_span_equal_str (value, "1"));
  g_assert_cmpuint (find_method (peer, "UPDATE", 0), ==, G_MAXUINT);
  /* Answered without Session-Expires (RFC 4028 §7.2): acknowledged, and
   * the session has no timer any more. */
  raw_peer_reply (peer, again, 200, NULL);
  g_assert_true (raw_peer_wait (peer, peer->received->len + 1, WAIT_MS));
  g_assert_cmpint (hail_sip_session_get_state (f->caller), ==, HAIL_SIP_SESSION_STATE_ESTABLISHED);
  g_assert_cmpuint (hail_sip_session_get_session_expires (f->caller), ==, 0);
  g_assert_false (hail_sip_session_get_refresher (f->caller));
}

/* RFC 3311 §5.2: an UPDATE with an offer before we answered the INVITE's
 * offer gets 500 with Retry-After (0 to 10 s); the call still rings. */
static void
test_session_update_before_answer (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(RawPeer) peer = raw_peer_new ();
  GInetSocketAddress *address =
    hail_sip_stack_get_listen_address (f->callee_stack, HAIL_SIP_TRANSPORT_KIND_UDP);
  g_autofree char *invite = raw_offer (peer, "INVITE", "early", NULL, 1, "");
  g_autofree char *update = NULL;
  g_autofree char *tag = NULL;
  HailSipMessage *ringing, *refused;
  const HailSipNameAddr *to;
  HailSipSpan value;
  guint32 seconds = 99;

  f->mode = UAS_RING;
  raw_peer_send (peer, address, invite);
  ringing = raw_peer_wait_message (peer, FALSE, 180);
  to = hail_sip_message_get_to (ringing);
  tag = hail_sip_span_dup (to->tag);
  update = raw_offer (peer, "UPDATE", "early", tag, 2, "");
  raw_peer_send (peer, address, update);
  refused = raw_peer_wait_message (peer, FALSE, 500);
  g_assert_true (hail_sip_span_equal_str (hail_sip_message_get_cseq (refused)->method, "UPDATE"));
  g_assert_true (hail_sip_message_get_header (refused, "Retry-After", &value));
  g_assert_true (hail_sip_span_to_uint32 (value, &seconds));
  g_assert_cmpuint (seconds, <=, 10);
  g_assert_null (f->offer_seen);
  g_assert_cmpint (hail_sip_session_get_state (f->callee), ==, HAIL_SIP_SESSION_STATE_RINGING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* A session case on the fixture; @method, where given, is the request
   * that carries a new offer (see offer_func()). */
#define ADD_SESSION(path, method, fn) \
  g_test_add ("/sip/session/" path, Fixture, method, fixture_setup, fn, fixture_teardown)

  g_test_add_func ("/sip/dialog/uac-route-set-from-record-route", test_dialog_uac_route_set);
  g_test_add_func ("/sip/dialog/uas-refuses-lower-cseq", test_dialog_uas_lower_cseq);
  g_test_add_func ("/sip/dialog/needs-contact", test_dialog_needs_contact);
  ADD_SESSION ("call-and-hangup", NULL, test_session_call_and_hangup);
  ADD_SESSION ("remote-bye", NULL, test_session_remote_bye);
  ADD_SESSION ("busy", NULL, test_session_busy);
  ADD_SESSION ("cancel", NULL, test_session_cancel);
  ADD_SESSION ("reinvite-hold", "INVITE", test_session_reinvite_hold);
  ADD_SESSION ("glare-491", "INVITE", test_session_glare);
  ADD_SESSION ("blind-transfer", NULL, test_session_blind_transfer);
  ADD_SESSION ("unknown-dialog", NULL, test_session_unknown_dialog);
  g_test_add_func ("/sip/session/cancel-races-200", test_session_cancel_races_200);
  g_test_add_func ("/sip/session/cancel-unanswered", test_session_cancel_unanswered);
  ADD_SESSION ("timer-confirmed", NULL, test_session_timer_confirmed);
  ADD_SESSION ("dispose-ends-pending-hangup", NULL, test_session_dispose_pending_hangup);
  ADD_SESSION ("dispose-ends-pending-invite", NULL, test_session_dispose_pending_invite);
  ADD_SESSION ("no-ack-then-bye", NULL, test_session_no_ack);
  ADD_SESSION ("update-hold", "UPDATE", test_session_reinvite_hold);
  ADD_SESSION ("update-glare-491", "UPDATE", test_session_glare);
  ADD_SESSION ("update-early-dialog", NULL, test_session_update_early);
  ADD_SESSION ("update-before-answer-500", NULL, test_session_update_before_answer);
  ADD_SESSION ("timer-422-retry-then-update-refresh", NULL,
               test_session_timer_422_and_update_refresh);
  ADD_SESSION ("timer-422-answered", NULL, test_session_timer_422_answered);
  ADD_SESSION ("timer-expires-bye", NULL, test_session_timer_expires);
  ADD_SESSION ("timer-reinvite-refresh", NULL, test_session_timer_reinvite_refresh);

#undef ADD_SESSION

  return g_test_run ();
}
