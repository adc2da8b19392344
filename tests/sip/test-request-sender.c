/* test-request-sender.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailSipRequestSender against two scripted UDP servers on 127.0.0.1: the
 * first target (the spec's) fails as RFC 3263 §4.3 lists, the second is
 * what the next hop resolves to (a numeric URI, so no DNS is asked).
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-request-sender.h"
#include "hail-test-util.h"
#include "test-stack-util.h"

typedef struct {
  HailSipStack   *stack;
  RawPeer        *first;
  RawPeer        *second;
  HailSipTarget  *first_target;
  HailSipUri     *second_uri;
  HailSipMessage *response;
  GError         *error;
  gboolean        done;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  f->stack = test_stack_new (FALSE);
  f->first = raw_peer_new ();
  f->second = raw_peer_new ();
  f->first_target = test_target (f->first);
  uri = g_strdup_printf ("sip:127.0.0.1:%u;transport=udp",
                         g_inet_socket_address_get_port (f->second->address));
  f->second_uri = hail_sip_uri_parse (uri, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->response, hail_sip_message_unref);
  g_clear_error (&f->error);
  g_clear_pointer (&f->second_uri, hail_sip_uri_unref);
  g_clear_pointer (&f->first_target, hail_sip_target_free);
  g_clear_pointer (&f->second, raw_peer_free);
  g_clear_pointer (&f->first, raw_peer_free);
  hail_sip_transport_close (hail_sip_stack_get_transport (f->stack));
  g_clear_object (&f->stack);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *f = user_data;

  f->response = hail_sip_request_sender_run_finish (HAIL_SIP_REQUEST_SENDER (source), result,
                                                    &f->error);
  f->done = TRUE;
}

static gboolean
is_done (gpointer user_data)
{
  Fixture *f = user_data;

  return f->done;
}

static guint32
cseq_of (HailSipMessage *message)
{
  const HailSipCSeq *cseq = hail_sip_message_get_cseq (message);

  g_assert_nonnull (cseq);
  return cseq->number;
}

/* A sender for @method to the first server, failing over to the second;
 * returns once the first server holds the request. */
static HailSipRequestSender *
start (Fixture    *f,
       const char *method)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("v=0\r\n", 5);
  HailSipRequestSpec spec = {
    .method = method, .request_uri = f->second_uri, .target = f->first_target,
    .from = "<sip:alice@example.test>;tag=a1", .to = "<sip:bob@example.test>",
    .call_id = "sender-call", .cseq = 7, .content_type = "text/plain", .body = body,
  };
  HailSipRequestSender *sender = hail_sip_request_sender_new (f->stack, &spec, NULL);

  hail_sip_request_sender_set_next_hop (sender, f->second_uri, -1);
  hail_sip_request_sender_run_async (sender, NULL, run_cb, f);
  g_assert_true (raw_peer_wait (f->first, 1, 10000));
  return sender;
}

/* The run ends with a final @status after @tried targets. */
static void
expect_final (Fixture              *f,
              HailSipRequestSender *sender,
              guint                 status,
              guint                 tried)
{
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_assert_no_error (f->error);
  g_assert_cmpuint (hail_sip_message_get_status (f->response), ==, status);
  g_assert_cmpuint (hail_sip_request_sender_get_n_targets_tried (sender), ==, tried);
}

/* The second server got the request as a new one (next CSeq, new branch)
 * and answers 200: the run ends with it. */
static void
expect_second_answers (Fixture              *f,
                       HailSipRequestSender *sender)
{
  HailSipMessage *first, *second;
  HailSipVia via1, via2;
  g_autofree char *where = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (raw_peer_wait (f->second, 1, 10000));
  first = raw_peer_message (f->first, 0);
  second = raw_peer_message (f->second, 0);
  g_assert_nonnull (second);
  g_assert_cmpuint (cseq_of (second), ==, cseq_of (first) + 1);
  g_assert_true (hail_sip_message_get_via (first, 0, &via1));
  g_assert_true (hail_sip_message_get_via (second, 0, &via2));
  g_assert_false (hail_sip_span_equal (via1.branch, via2.branch));
  raw_peer_reply (f->second, 0, 200, NULL);
  expect_final (f, sender, 200, 2);
  where = hail_sip_target_to_string (hail_sip_request_sender_get_target (sender));
  expected = g_strdup_printf ("udp:127.0.0.1:%u",
                              g_inet_socket_address_get_port (f->second->address));
  g_assert_cmpstr (where, ==, expected);
}

/* How the first server fails: @status, or silence when 0. */
typedef struct {
  const char *method;
  guint       status;
} FailCase;

static const FailCase silent_message = { "MESSAGE", 0 };
static const FailCase busy_message = { "MESSAGE", 503 };
static const FailCase busy_invite = { "INVITE", 503 };

static void
test_fails_over (Fixture       *f,
                 gconstpointer  data)
{
  const FailCase *how = data;
  g_autoptr(HailSipRequestSender) sender = start (f, how->method);

  /* Silence: timer F (64*T1 = 1.28 s here) gives the server up. */
  if (how->status != 0)
    raw_peer_reply (f->first, 0, how->status, NULL);
  expect_second_answers (f, sender);
  if (how->status == 0)
    g_assert_cmpuint (f->first->received->len, >, 1);  /* it retransmitted */
}

static void
test_invite_503_after_1xx_stays (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(HailSipRequestSender) sender = start (f, "INVITE");

  /* §4.3 only before 1xx: a server that rang has the call. */
  raw_peer_reply (f->first, 0, 180, NULL);
  raw_peer_reply (f->first, 0, 503, NULL);
  expect_final (f, sender, 503, 1);
  test_drain (100);
  g_assert_cmpuint (f->second->received->len, ==, 0);
}

static void
test_stopped_does_not_fail_over (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(HailSipRequestSender) sender = start (f, "INVITE");

  /* A cancelled call: its silent server times out, and that is the end. */
  hail_sip_request_sender_stop (sender);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);
  g_assert_cmpuint (f->second->received->len, ==, 0);
}

static void
test_all_fail_keeps_last (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(HailSipRequestSender) sender = start (f, "MESSAGE");

  /* Both answer 503: the caller gets the last 503 to report. */
  raw_peer_reply (f->first, 0, 503, NULL);
  g_assert_true (raw_peer_wait (f->second, 1, 10000));
  raw_peer_reply (f->second, 0, 503, "Retry-After: 30");
  expect_final (f, sender, 503, 2);
  g_assert_cmpuint (cseq_of (raw_peer_message (f->second, 0)), ==, 8);
}

static void
test_too_large_without_stream (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *big = g_strnfill (1400, 'x');
  g_autoptr(GBytes) body = g_bytes_new_static (big, 1400);
  HailSipRequestSpec spec = {
    .method = "MESSAGE", .request_uri = f->second_uri, .target = f->first_target,
    .from = "<sip:alice@example.test>;tag=a1", .to = "<sip:bob@example.test>",
    .call_id = "sender-big", .cseq = 1, .content_type = "text/plain", .body = body,
  };
  g_autoptr(HailSipRequestSender) sender = hail_sip_request_sender_new (f->stack, &spec, NULL);

  hail_sip_request_sender_set_allow_stream (sender, FALSE);
  hail_sip_request_sender_run_async (sender, NULL, run_cb, f);
  g_assert_true (hail_test_wait_until (is_done, f, 10000));
  g_assert_error (f->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (f->error->message, "UDP takes 1300"));
  g_assert_cmpuint (f->first->received->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_WITH(path, data, fn) \
  g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
#define ADD(path, fn) ADD_WITH (path, NULL, fn)
  ADD_WITH ("/sip/request-sender/silent-fails-over", &silent_message, test_fails_over);
  ADD_WITH ("/sip/request-sender/503-fails-over", &busy_message, test_fails_over);
  ADD_WITH ("/sip/request-sender/invite-503-before-1xx-fails-over", &busy_invite,
            test_fails_over);
  ADD ("/sip/request-sender/invite-503-after-1xx-stays", test_invite_503_after_1xx_stays);
  ADD ("/sip/request-sender/stopped-does-not-fail-over", test_stopped_does_not_fail_over);
  ADD ("/sip/request-sender/all-fail-keeps-last-503", test_all_fail_keeps_last);
  ADD ("/sip/request-sender/too-large-without-stream", test_too_large_without_stream);
#undef ADD
#undef ADD_WITH

  return g_test_run ();
}
