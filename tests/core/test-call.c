/* test-call.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailCall hold and resume against a raw SIP peer on 127.0.0.1 UDP that
 * keeps its answer to a re-INVITE until the test releases it: a resume
 * asked for while the hold is on its way is sent once the hold is
 * answered (call waiting ending early), one re-INVITE at a time.
 */
#include "config.h"

#include "hail-call-manager.h"
#include "hail-test-util.h"
#include "test-sip-peer.h"

#define WAIT_MS 30000

typedef struct {
  TestSipPeer     *peer;
  HailAccount     *account;
  HailCallManager *manager;
  HailCall        *call;
  GArray          *held;      /* gboolean: "held" at each notification */
  guint            n_done;
  guint            n_ok;
} Fixture;

static void
held_cb (HailCall   *call,
         GParamSpec *pspec,
         Fixture    *f)
{
  gboolean held = hail_call_get_held (call);

  g_array_append_val (f->held, held);
}

static gboolean
is_established (gpointer data)
{
  Fixture *f = data;

  return hail_call_get_state (f->call) == HAIL_SIP_SESSION_STATE_ESTABLISHED;
}

static gboolean
is_terminated (gpointer data)
{
  Fixture *f = data;

  return hail_call_get_state (f->call) == HAIL_SIP_SESSION_STATE_TERMINATED;
}

/* The send path has negotiated its caps: RTP is leaving. */
static gboolean
is_sending (gpointer data)
{
  Fixture *f = data;

  return hail_call_get_packets_sent (f->call) > 0;
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_call_start_finish (HAIL_CALL (source), result, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bound = NULL;
  g_autoptr(HailMediaSource) source = hail_media_source_new_silence ();
  g_autoptr(HailMediaSink) sink = hail_media_sink_new_discard ();
  g_autofree char *uri = NULL;

  f->peer = test_sip_peer_new (0);
  f->held = g_array_new (FALSE, FALSE, sizeof (gboolean));
  f->account = hail_account_new ("sip:alice@example.test", &error);
  g_assert_no_error (error);
  hail_account_set_t1 (f->account, 20);
  bound = hail_account_start (f->account, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  f->manager = hail_call_manager_new (f->account);
  uri = test_sip_peer_uri (f->peer, "bob");
  f->call = hail_call_manager_dial (f->manager, uri, &error);
  g_assert_no_error (error);
  /* No sound server in tests: silence out, nothing played. */
  g_assert_true (hail_call_set_source (f->call, source, &error));
  g_assert_true (hail_call_set_sink (f->call, sink, &error));
  g_signal_connect (f->call, "notify::held", G_CALLBACK (held_cb), f);
  hail_call_start_async (f->call, NULL, started_cb, NULL);
  g_assert_true (hail_test_wait_until (is_established, f, WAIT_MS));
  /* Hold a call that is talking, as users do. It also keeps these
   * signalling tests clear of a GStreamer 1.22 race: a pipeline stopped
   * while its elements still negotiate caps leaves them behind, which
   * LeakSanitizer reported under CI's load (see tests/media/lsan-media.supp). */
  g_assert_true (hail_test_wait_until (is_sending, f, WAIT_MS));
  f->peer->delay_reinvites = TRUE;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  f->peer->delay_reinvites = FALSE;
  test_sip_peer_answer_reinvites (f->peer);
  hail_call_hangup_async (f->call, NULL, NULL, NULL);
  g_assert_true (hail_test_wait_until (is_terminated, f, WAIT_MS));
  g_signal_handlers_disconnect_by_data (f->call, f);
  g_clear_object (&f->call);
  g_assert_finalize_object (f->manager);
  g_object_unref (f->account);
  test_sip_peer_free (f->peer);
  g_array_unref (f->held);
}

static void
set_held_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  if (hail_call_set_held_finish (HAIL_CALL (source), result, &error))
    f->n_ok++;
  g_assert_no_error (error);
  f->n_done++;
}

static gboolean
one_reinvite_kept (gpointer data)
{
  Fixture *f = data;

  return f->peer->delayed->len == 1;
}

static gboolean
two_reinvites_seen (gpointer data)
{
  Fixture *f = data;

  return f->peer->reinvites->len == 2 && f->peer->delayed->len == 1;
}

static gboolean
held_then_resumed (gpointer data)
{
  Fixture *f = data;

  return f->held->len == 2;
}

static gboolean
one_done (gpointer data)
{
  Fixture *f = data;

  return f->n_done == 1;
}

static gboolean
two_done (gpointer data)
{
  Fixture *f = data;

  return f->n_done == 2;
}

/* The waiting call ended before the hold of the first was answered: the
 * resume must still happen, after the hold, and not be lost. */
static void
test_resume_while_holding (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  hail_call_set_held_async (f->call, TRUE, NULL, set_held_cb, f);
  g_assert_true (hail_test_wait_until (one_reinvite_kept, f, WAIT_MS));
  g_assert_false (hail_call_get_held (f->call));
  g_assert_true (hail_call_get_held_requested (f->call));

  g_assert_true (hail_call_manager_resume (f->manager, f->call, &error));
  g_assert_no_error (error);
  g_assert_false (hail_call_get_held_requested (f->call));
  /* Still one re-INVITE at a time. */
  g_assert_cmpuint (f->peer->reinvites->len, ==, 1);

  test_sip_peer_answer_reinvites (f->peer);
  g_assert_true (hail_test_wait_until (two_reinvites_seen, f, WAIT_MS));
  g_assert_cmpuint (f->n_ok, ==, 1);
  g_assert_true (hail_call_get_held (f->call));
  g_assert_false (hail_call_get_held_requested (f->call));

  test_sip_peer_answer_reinvites (f->peer);
  g_assert_true (hail_test_wait_until (held_then_resumed, f, WAIT_MS));
  g_assert_cmpstr (g_ptr_array_index (f->peer->reinvites, 0), ==, "sendonly");
  g_assert_cmpstr (g_ptr_array_index (f->peer->reinvites, 1), ==, "sendrecv");
  g_assert_true (g_array_index (f->held, gboolean, 0));
  g_assert_false (g_array_index (f->held, gboolean, 1));
  g_assert_false (hail_call_get_held (f->call));
  g_assert_cmpstr (hail_call_get_direction (f->call), ==, "sendrecv");
}

/* Asking twice for the hold sends one re-INVITE; both requests succeed. */
static void
test_hold_twice_one_reinvite (Fixture       *f,
                              gconstpointer  data)
{
  hail_call_set_held_async (f->call, TRUE, NULL, set_held_cb, f);
  g_assert_true (hail_test_wait_until (one_reinvite_kept, f, WAIT_MS));
  hail_call_set_held_async (f->call, TRUE, NULL, set_held_cb, f);
  test_sip_peer_answer_reinvites (f->peer);
  g_assert_true (hail_test_wait_until (two_done, f, WAIT_MS));
  g_assert_cmpuint (f->n_ok, ==, 2);
  g_assert_cmpuint (f->peer->reinvites->len, ==, 1);
  g_assert_true (hail_call_get_held (f->call));
  g_assert_cmpstr (hail_call_get_direction (f->call), ==, "sendonly");
}

/* A resume asked for from the hold's own callback waits behind nothing
 * and is sent at once. */
static void
resume_from_callback_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Fixture *f = user_data;

  set_held_cb (source, result, f);
  hail_call_set_held_async (HAIL_CALL (source), FALSE, NULL, set_held_cb, f);
}

static void
test_resume_from_hold_callback (Fixture       *f,
                                gconstpointer  data)
{
  hail_call_set_held_async (f->call, TRUE, NULL, resume_from_callback_cb, f);
  g_assert_true (hail_test_wait_until (one_reinvite_kept, f, WAIT_MS));
  test_sip_peer_answer_reinvites (f->peer);
  g_assert_true (hail_test_wait_until (one_done, f, WAIT_MS));
  g_assert_true (hail_test_wait_until (two_reinvites_seen, f, WAIT_MS));
  g_assert_true (hail_call_get_held (f->call));
  test_sip_peer_answer_reinvites (f->peer);
  g_assert_true (hail_test_wait_until (two_done, f, WAIT_MS));
  g_assert_cmpuint (f->n_ok, ==, 2);
  g_assert_false (hail_call_get_held (f->call));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/core/call/hold/resume-while-holding", test_resume_while_holding);
  ADD ("/core/call/hold/twice-one-reinvite", test_hold_twice_one_reinvite);
  ADD ("/core/call/hold/resume-from-hold-callback", test_resume_from_hold_callback);
#undef ADD

  return g_test_run ();
}
