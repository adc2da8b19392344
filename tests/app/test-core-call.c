/* test-core-call.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailCoreCall, the call window's view of src/core's HailCall: the state
 * table and the end reasons, then real calls between two HailAccounts on
 * 127.0.0.1 (no server: alice calls bob's bound address): the states both
 * windows would show, answer, duration, hold, mute, DTMF, hang-up, decline,
 * and the rows they leave in a real store.
 */
#include "config.h"

#include "hail-core-call.h"
#include "hail-media-error.h"
#include "hail-sip-target.h"
#include "hail-test-util.h"

#include <glib/gstdio.h>

#define WAIT_MS 15000

static void
test_map_state (void)
{
  static const struct {
    HailSipSessionState sip;
    HailCallViewState out;
    HailCallViewState in;
  } table[] = {
    { HAIL_SIP_SESSION_STATE_IDLE, HAIL_CALL_VIEW_STATE_DIALING, HAIL_CALL_VIEW_STATE_INCOMING },
    { HAIL_SIP_SESSION_STATE_CALLING, HAIL_CALL_VIEW_STATE_DIALING,
      HAIL_CALL_VIEW_STATE_INCOMING },
    { HAIL_SIP_SESSION_STATE_INCOMING, HAIL_CALL_VIEW_STATE_INCOMING,
      HAIL_CALL_VIEW_STATE_INCOMING },
    { HAIL_SIP_SESSION_STATE_RINGING, HAIL_CALL_VIEW_STATE_RINGING,
      HAIL_CALL_VIEW_STATE_INCOMING },
    { HAIL_SIP_SESSION_STATE_EARLY, HAIL_CALL_VIEW_STATE_RINGING, HAIL_CALL_VIEW_STATE_INCOMING },
    { HAIL_SIP_SESSION_STATE_CONNECTING, HAIL_CALL_VIEW_STATE_ACTIVE,
      HAIL_CALL_VIEW_STATE_ACTIVE },
    { HAIL_SIP_SESSION_STATE_ESTABLISHED, HAIL_CALL_VIEW_STATE_ACTIVE,
      HAIL_CALL_VIEW_STATE_ACTIVE },
    { HAIL_SIP_SESSION_STATE_TERMINATING, HAIL_CALL_VIEW_STATE_ENDED,
      HAIL_CALL_VIEW_STATE_ENDED },
    { HAIL_SIP_SESSION_STATE_TERMINATED, HAIL_CALL_VIEW_STATE_ENDED,
      HAIL_CALL_VIEW_STATE_ENDED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpint (hail_core_call_map_state (table[i].sip, TRUE), ==, table[i].out);
      g_assert_cmpint (hail_core_call_map_state (table[i].sip, FALSE), ==, table[i].in);
    }
}

static void
test_describe_end (void)
{
  g_autoptr(GError) media = g_error_new_literal (HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_DEVICE,
                                                 "pulsesrc: no such device");
  struct {
    guint status;
    gboolean outgoing;
    gboolean answered;
    gboolean here;
    const char *expected;
  } cases[] = {
    { 486, TRUE, FALSE, FALSE, "Bob is busy." },
    { 600, TRUE, FALSE, FALSE, "Bob is busy." },
    { 603, TRUE, FALSE, FALSE, "Bob declined the call." },
    { 404, TRUE, FALSE, FALSE, "Bob does not exist: check the address." },
    { 408, TRUE, FALSE, FALSE, "No answer from Bob." },
    { 488, TRUE, FALSE, FALSE, "Bob cannot use any of the audio formats Hail offers." },
    { 503, TRUE, FALSE, FALSE,
      "The server could not connect the call (SIP status 503). Try again later." },
    { 499, TRUE, FALSE, FALSE, "The call failed (SIP status 499)." },
    { 487, FALSE, FALSE, FALSE, "Bob hung up before the call was answered." },
    /* Ended by us, or after talking: nothing to explain. */
    { 487, TRUE, FALSE, TRUE, NULL },
    { 200, TRUE, TRUE, FALSE, NULL },
    { 200, FALSE, TRUE, FALSE, NULL },
  };
  g_autofree char *failed = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = hail_core_call_describe_end (cases[i].status, cases[i].outgoing,
                                                           cases[i].answered, cases[i].here,
                                                           NULL, "Bob");

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
  /* A broken audio path is said even after the call was answered. */
  failed = hail_core_call_describe_end (200, TRUE, TRUE, FALSE, media, "Bob");
  g_assert_cmpstr (failed, ==, "The call's audio failed: pulsesrc: no such device");
}

static void
test_quality_codec_text (void)
{
  static const struct {
    HailMediaCodec codec;
    guint rate;
    const char *expected;
  } cases[] = {
    { HAIL_MEDIA_CODEC_OPUS, 48000, "Opus, 48 kHz" },
    { HAIL_MEDIA_CODEC_G722, 16000, "G.722, 16 kHz" },
    { HAIL_MEDIA_CODEC_PCMU, 8000, "G.711 µ-law" },
    { HAIL_MEDIA_CODEC_PCMA, 8000, "G.711 A-law" },
    { HAIL_MEDIA_CODEC_OPUS, 44100, "Opus, 44.1 kHz" },
    { HAIL_MEDIA_CODEC_OPUS, 0, "Opus" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HailCallQuality quality = { .codec = cases[i].codec, .rate = cases[i].rate };
      g_autofree char *text = hail_call_quality_dup_codec_text (&quality);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_quality_percent (void)
{
  g_assert_cmpfloat (hail_call_quality_percent (0, 0), ==, 0.0);
  g_assert_cmpfloat (hail_call_quality_percent (5, 0), ==, 0.0);
  g_assert_cmpfloat (hail_call_quality_percent (1, 4), ==, 25.0);
  g_assert_cmpfloat (hail_call_quality_percent (G_MAXUINT64, G_MAXUINT64), ==, 100.0);
}

static void
test_quality_threshold (void)
{
  HailCallQuality since = { .received = 1000, .lost = 10, .delay_ms = 60, .delay_max_ms = 300 };
  HailCallQuality now = since;
  double loss = -1.0;

  /* Too few packets since to tell. */
  now.received = since.received + 98;
  now.lost = since.lost + 1;
  g_assert_false (hail_call_quality_loss_between (&since, &now, &loss));
  g_assert_cmpfloat (loss, ==, 0.0);

  /* Exactly 5 %: still fine; more is poor. */
  now.received = since.received + 95;
  now.lost = since.lost + 5;
  g_assert_true (hail_call_quality_loss_between (&since, &now, &loss));
  g_assert_cmpfloat_with_epsilon (loss, 5.0, 1e-9);
  g_assert_false (hail_call_quality_is_poor (&now, loss));
  now.received = since.received + 94;
  now.lost = since.lost + 6;
  g_assert_true (hail_call_quality_loss_between (&since, &now, &loss));
  g_assert_cmpfloat_with_epsilon (loss, 6.0, 1e-9);
  g_assert_true (hail_call_quality_is_poor (&now, loss));

  /* Everything lost reads 100 %, not a division by zero. */
  now.received = since.received;
  now.lost = since.lost + 150;
  g_assert_true (hail_call_quality_loss_between (&since, &now, &loss));
  g_assert_cmpfloat (loss, ==, 100.0);

  /* Counts that went back (new media) compare with nothing. */
  now.received = since.received - 1;
  now.lost = since.lost + 500;
  g_assert_false (hail_call_quality_loss_between (&since, &now, &loss));
  now.received = since.received + 500;
  now.lost = since.lost - 1;
  g_assert_false (hail_call_quality_loss_between (&since, &now, &loss));
  /* Counts near the top of the range do not wrap into a small total. */
  now.received = G_MAXUINT64;
  now.lost = G_MAXUINT64;
  since.received = 0;
  since.lost = 0;
  g_assert_false (hail_call_quality_loss_between (&since, &now, &loss));

  /* The delay at its cap is poor whatever the loss; without a known cap,
   * never. */
  now.delay_ms = 299;
  g_assert_false (hail_call_quality_is_poor (&now, 0.0));
  now.delay_ms = 300;
  g_assert_true (hail_call_quality_is_poor (&now, 0.0));
  now.delay_max_ms = 0;
  g_assert_false (hail_call_quality_is_poor (&now, 0.0));
}

/* ---- two accounts on loopback ---- */

typedef struct {
  char *dir;
  HailStore *store;
  HailAccount *alice;
  HailAccount *bob;
  HailCallManager *alice_calls;
  HailCallManager *bob_calls;
  guint16 bob_port;
  HailCoreCall *out;             /* alice's view */
  HailCoreCall *in;              /* bob's view */
  HailCoreCall *waiting;         /* bob's view of a second call */
  GArray *out_states;            /* HailCallViewState, in order */
} Fixture;

static HailAccount *
start_account (const char *aor,
               guint16    *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailAccount) account = hail_account_new (aor, &error);
  g_autoptr(GPtrArray) bound = NULL;

  g_assert_no_error (error);
  bound = hail_account_start (account, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bound->len, >, 0);
  if (port != NULL)
    *port = g_inet_socket_address_get_port (
      G_INET_SOCKET_ADDRESS (((HailSipTarget *) bound->pdata[0])->address));
  return g_steal_pointer (&account);
}

/* The tests run without a sound server: the calls send silence and
 * discard what they receive, set after the view chose its devices. */
static void
quiet_media (HailCall *call)
{
  g_autoptr(HailMediaSource) source = hail_media_source_new_silence ();
  g_autoptr(HailMediaSink) sink = hail_media_sink_new_discard ();
  g_autoptr(GError) error = NULL;

  g_assert_true (hail_call_set_source (call, source, &error));
  g_assert_no_error (error);
  g_assert_true (hail_call_set_sink (call, sink, &error));
  g_assert_no_error (error);
}

static void
incoming_cb (HailCallManager *manager,
             HailCall        *call,
             Fixture         *f)
{
  g_assert_null (f->waiting);
  if (f->in == NULL)
    f->in = hail_core_call_new (call, manager, NULL, NULL, NULL, NULL, HAIL_CORE_CALL_RING);
  else
    f->waiting = hail_core_call_new (call, manager, NULL, NULL, NULL, NULL, HAIL_CORE_CALL_RING);
  quiet_media (call);
}

static void
out_state_cb (HailCoreCall *call,
              GParamSpec   *pspec,
              Fixture      *f)
{
  HailCallViewState state = hail_call_view_get_state (HAIL_CALL_VIEW (call));

  g_array_append_val (f->out_states, state);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("hail-core-call-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "history.db", NULL);
  f->store = hail_store_new_sync (path, &error);
  g_assert_no_error (error);
  f->alice = start_account ("sip:alice@127.0.0.1", NULL);
  f->bob = start_account ("sip:bob@127.0.0.1", &f->bob_port);
  f->alice_calls = hail_call_manager_new (f->alice);
  f->bob_calls = hail_call_manager_new (f->bob);
  g_signal_connect (f->bob_calls, "incoming-call", G_CALLBACK (incoming_cb), f);
  f->out_states = g_array_new (FALSE, FALSE, sizeof (HailCallViewState));
}

static gboolean
both_ended (gpointer data)
{
  Fixture *f = data;

  return (f->out == NULL ||
          hail_call_view_get_state (HAIL_CALL_VIEW (f->out)) == HAIL_CALL_VIEW_STATE_ENDED) &&
         (f->in == NULL ||
          hail_call_view_get_state (HAIL_CALL_VIEW (f->in)) == HAIL_CALL_VIEW_STATE_ENDED);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->dir, "/history.db-wal", NULL);
  g_autofree char *shm = g_strconcat (f->dir, "/history.db-shm", NULL);
  g_autofree char *db = g_strconcat (f->dir, "/history.db", NULL);

  /* Whatever a failed assertion left running ends before the objects go. */
  if (f->out != NULL)
    hail_call_view_hang_up (HAIL_CALL_VIEW (f->out), NULL);
  hail_test_wait_until (both_ended, f, WAIT_MS);
  g_clear_object (&f->out);
  g_clear_object (&f->in);
  g_clear_object (&f->waiting);
  g_clear_object (&f->alice_calls);
  g_clear_object (&f->bob_calls);
  g_clear_object (&f->alice);
  g_clear_object (&f->bob);
  g_clear_object (&f->store);
  g_array_unref (f->out_states);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (db);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
dial_bob (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strdup_printf ("sip:bob@127.0.0.1:%u", f->bob_port);
  g_autoptr(HailCall) call = hail_call_manager_dial (f->alice_calls, uri, &error);
  g_autofree char *input = NULL;
  g_autofree char *output = NULL;

  g_assert_no_error (error);
  /* The preferences' device ids: "" is the default; an id no device has
   * (there is no HailMediaDevices here) is kept, and the default used. */
  f->out = hail_core_call_new (call, f->alice_calls, f->store, NULL, "", "hail-test-speaker",
                               HAIL_CORE_CALL_RING);
  g_object_get (f->out, "input-device", &input, "output-device", &output, NULL);
  g_assert_null (input);
  g_assert_cmpstr (output, ==, "hail-test-speaker");
  quiet_media (call);
  g_signal_connect (f->out, "notify::state", G_CALLBACK (out_state_cb), f);
  g_assert_cmpint (hail_call_view_get_state (HAIL_CALL_VIEW (f->out)), ==,
                   HAIL_CALL_VIEW_STATE_DIALING);
  hail_core_call_start (f->out);
}

static gboolean
bob_ringing (gpointer data)
{
  Fixture *f = data;

  return f->in != NULL && f->out_states->len > 0 &&
         g_array_index (f->out_states, HailCallViewState, f->out_states->len - 1) ==
         HAIL_CALL_VIEW_STATE_RINGING;
}

static gboolean
both_active (gpointer data)
{
  Fixture *f = data;

  return hail_call_view_get_state (HAIL_CALL_VIEW (f->out)) == HAIL_CALL_VIEW_STATE_ACTIVE &&
         hail_call_view_get_state (HAIL_CALL_VIEW (f->in)) == HAIL_CALL_VIEW_STATE_ACTIVE &&
         hail_call_get_state (hail_core_call_get_call (f->in)) ==
         HAIL_SIP_SESSION_STATE_ESTABLISHED;
}

static gboolean
ticked (gpointer data)
{
  Fixture *f = data;
  guint duration = 0;

  g_object_get (f->out, "duration", &duration, NULL);
  return duration >= 1;
}

/* Alice sends a tone: her microphone meter and Bob's speaker meter move. */
static gboolean
levels_move (gpointer data)
{
  Fixture *f = data;
  double sent = 0.0;
  double heard = 0.0;

  g_object_get (f->out, "input-level", &sent, NULL);
  g_object_get (f->in, "output-level", &heard, NULL);
  return sent > 0.05 && heard > 0.05;
}

static gboolean
bob_held (gpointer data)
{
  Fixture *f = data;
  gboolean held = FALSE;

  g_object_get (f->out, "held", &held, NULL);
  return held;
}

static gboolean
history_done (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GListModel) calls = hail_store_list_calls_sync (f->store, 10, NULL);
  g_autoptr(HailStoreCall) call = NULL;

  if (calls == NULL || g_list_model_get_n_items (calls) != 1)
    return FALSE;
  call = g_list_model_get_item (calls, 0);
  return hail_store_call_get_end_time (call) > 0;
}

static void
test_answered (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) calls = NULL;
  g_autoptr(HailStoreCall) row = NULL;
  g_autofree char *id = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *peer = NULL;
  gboolean muted = FALSE;

  dial_bob (f);
  g_assert_true (hail_test_wait_until (bob_ringing, f, WAIT_MS));
  g_assert_cmpint (hail_call_view_get_state (HAIL_CALL_VIEW (f->in)), ==,
                   HAIL_CALL_VIEW_STATE_INCOMING);
  /* Both sides name the call by its Call-ID, for the notification's
   * Answer and Decline actions. */
  id = hail_call_view_dup_id (HAIL_CALL_VIEW (f->in));
  g_assert_cmpstr (id, ==, hail_call_get_call_id (hail_core_call_get_call (f->out)));
  peer = hail_call_view_dup_peer (HAIL_CALL_VIEW (f->in));
  g_assert_true (g_str_has_prefix (peer, "sip:alice@127.0.0.1"));

  g_assert_true (hail_call_view_answer (HAIL_CALL_VIEW (f->in), &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (both_active, f, WAIT_MS));
  /* What the window showed, in order: ringing, then answered. */
  g_assert_cmpuint (f->out_states->len, >=, 2);
  g_assert_cmpint (g_array_index (f->out_states, HailCallViewState, 0), ==,
                   HAIL_CALL_VIEW_STATE_RINGING);
  g_assert_cmpint (g_array_index (f->out_states, HailCallViewState, f->out_states->len - 1),
                   ==, HAIL_CALL_VIEW_STATE_ACTIVE);
  g_assert_false (hail_call_view_answer (HAIL_CALL_VIEW (f->in), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (hail_test_wait_until (ticked, f, WAIT_MS));

  {
    g_autoptr(HailMediaSource) tone = hail_media_source_new_tone (440.0);

    g_assert_true (hail_call_set_source (hail_core_call_get_call (f->out), tone, &error));
    g_assert_no_error (error);
    g_assert_true (hail_test_wait_until (levels_move, f, WAIT_MS));
  }

  g_object_set (f->out, "muted", TRUE, NULL);
  g_object_get (f->out, "muted", &muted, NULL);
  g_assert_true (muted);
  g_assert_true (hail_media_session_get_muted (hail_call_get_media (
    hail_core_call_get_call (f->out))));

  g_assert_true (hail_call_view_send_dtmf (HAIL_CALL_VIEW (f->out), '5', &error));
  g_assert_no_error (error);

  /* Hold is a re-INVITE; "held" follows the core once it is answered. */
  g_object_set (f->out, "held", TRUE, NULL);
  g_assert_true (hail_test_wait_until (bob_held, f, WAIT_MS));

  g_assert_true (hail_call_view_hang_up (HAIL_CALL_VIEW (f->out), &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (both_ended, f, WAIT_MS));
  g_object_get (f->out, "end-reason", &reason, NULL);
  g_assert_null (reason);
  g_object_get (f->in, "end-reason", &reason, NULL);
  g_assert_null (reason);

  /* Alice's history: one outgoing call, answered, with its duration. */
  g_assert_true (hail_test_wait_until (history_done, f, WAIT_MS));
  calls = hail_store_list_calls_sync (f->store, 10, &error);
  g_assert_no_error (error);
  row = g_list_model_get_item (calls, 0);
  g_assert_cmpint (hail_store_call_get_direction (row), ==, HAIL_STORE_DIRECTION_OUT);
  g_assert_cmpstr (hail_store_call_get_call_id (row), ==, id);
  g_assert_cmpint (hail_store_call_get_answer_time (row), >, 0);
  g_assert_cmpint (hail_store_call_get_duration (row), >, 0);
  g_assert_false (hail_store_call_get_missed (row));
}

static void
count_cb (HailCallView *view,
          guint        *count)
{
  (*count)++;
}

static gboolean
packets_counted (gpointer data)
{
  Fixture *f = data;
  HailCallQuality quality;

  return hail_call_view_get_quality (HAIL_CALL_VIEW (f->in), &quality) &&
         quality.received >= 10;
}

/* What "Call Details" reads of a real call: the negotiated codec, SRTP as
 * negotiated, the starting delay and packets arriving. */
static void
test_quality (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  HailCallQuality quality;
  const HailMediaStreamConfig *config;
  static const char * const opus[] = { "opus", NULL };
  g_autofree char *codec = NULL;
  guint changes = 0;

  hail_call_manager_set_codecs (f->alice_calls, opus);
  dial_bob (f);
  g_signal_connect (f->out, "quality-changed", G_CALLBACK (count_cb), &changes);
  g_assert_true (hail_test_wait_until (bob_ringing, f, WAIT_MS));
  g_assert_false (hail_call_view_get_quality (HAIL_CALL_VIEW (f->out), &quality));
  g_assert_cmpuint (quality.received, ==, 0);
  g_assert_true (hail_call_view_answer (HAIL_CALL_VIEW (f->in), &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (both_active, f, WAIT_MS));
  /* The audio starting is a change the window hears of. */
  g_assert_cmpuint (changes, >=, 1);

  g_assert_true (hail_call_view_get_quality (HAIL_CALL_VIEW (f->out), &quality));
  config = hail_media_session_get_config (hail_call_get_media (hail_core_call_get_call (f->out)));
  g_assert_nonnull (config);
  g_assert_cmpint (config->codec, ==, HAIL_MEDIA_CODEC_OPUS);
  codec = hail_call_quality_dup_codec_text (&quality);
  g_assert_cmpstr (codec, ==, "Opus, 48 kHz");
  g_assert_cmpint (quality.encrypted, ==, hail_call_get_srtp (hail_core_call_get_call (f->out)));
  g_assert_cmpuint (quality.delay_ms, ==, 60);
  g_assert_cmpuint (quality.delay_max_ms, >, quality.delay_ms);

  g_assert_true (hail_test_wait_until (packets_counted, f, WAIT_MS));
  g_assert_true (hail_call_view_get_quality (HAIL_CALL_VIEW (f->in), &quality));
  g_assert_cmpuint (quality.received, >=, 10);
  /* Loopback loses nothing worth a warning. */
  g_assert_cmpuint (quality.late, <=, quality.received);
  g_assert_cmpfloat (hail_call_quality_percent (quality.lost, quality.received + quality.lost),
                     <=, HAIL_CALL_QUALITY_POOR_LOSS_PERCENT);

  changes = 0;
  g_assert_true (hail_call_view_hang_up (HAIL_CALL_VIEW (f->out), &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (both_ended, f, WAIT_MS));
  g_assert_cmpuint (changes, >=, 1);
  g_assert_false (hail_call_view_get_quality (HAIL_CALL_VIEW (f->out), &quality));
  g_assert_cmpuint (quality.delay_ms, ==, 0);
}

static gboolean
bob_incoming (gpointer data)
{
  Fixture *f = data;

  return f->in != NULL;
}

static void
test_declined (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) calls = NULL;
  g_autoptr(HailStoreCall) row = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *bob = g_strdup_printf ("sip:bob@127.0.0.1:%u", f->bob_port);

  dial_bob (f);
  g_assert_true (hail_test_wait_until (bob_incoming, f, WAIT_MS));
  g_assert_true (hail_call_view_hang_up (HAIL_CALL_VIEW (f->in), &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (both_ended, f, WAIT_MS));

  /* Alice reads why, in words, from the status Bob's decline sent. */
  g_object_get (f->out, "end-reason", &reason, NULL);
  expected = hail_core_call_describe_end (hail_call_get_status (hail_core_call_get_call (f->out)),
                                          TRUE, FALSE, FALSE, NULL, bob);
  g_assert_nonnull (reason);
  g_assert_cmpstr (reason, ==, expected);
  g_assert_cmpuint (hail_call_get_status (hail_core_call_get_call (f->out)), >=, 400);

  g_assert_true (hail_test_wait_until (history_done, f, WAIT_MS));
  calls = hail_store_list_calls_sync (f->store, 10, &error);
  row = g_list_model_get_item (calls, 0);
  g_assert_cmpint (hail_store_call_get_answer_time (row), <=, 0);
  g_assert_cmpuint (hail_store_call_get_status (row), ==,
                    hail_call_get_status (hail_core_call_get_call (f->out)));
}

static gboolean
waiting_rings (gpointer data)
{
  Fixture *f = data;

  return f->waiting != NULL &&
         hail_call_get_state (hail_core_call_get_call (f->waiting)) ==
         HAIL_SIP_SESSION_STATE_RINGING;
}

static gboolean
first_held_second_active (gpointer data)
{
  Fixture *f = data;
  gboolean held = FALSE;

  g_object_get (f->in, "held", &held, NULL);
  return held &&
         hail_call_view_get_state (HAIL_CALL_VIEW (f->waiting)) == HAIL_CALL_VIEW_STATE_ACTIVE;
}

static gboolean
carol_ended (gpointer data)
{
  HailCoreCall *call = data;

  return hail_call_view_get_state (HAIL_CALL_VIEW (call)) == HAIL_CALL_VIEW_STATE_ENDED;
}

/* Call waiting: Bob talks to Alice when Carol calls; answering Carol puts
 * Alice on hold (re-INVITE) and both calls go on. With @data, Bob first
 * holds Alice himself, as the call window does, and answering must not
 * start a second re-INVITE on her dialog. */
static void
test_call_waiting (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailAccount) carol = start_account ("sip:carol@127.0.0.1", NULL);
  g_autoptr(HailCallManager) carol_calls = hail_call_manager_new (carol);
  g_autofree char *uri = g_strdup_printf ("sip:bob@127.0.0.1:%u", f->bob_port);
  g_autoptr(HailCall) call = NULL;
  g_autoptr(HailCoreCall) carol_view = NULL;
  gboolean held = TRUE;

  dial_bob (f);
  g_assert_true (hail_test_wait_until (bob_ringing, f, WAIT_MS));
  g_assert_true (hail_call_view_answer (HAIL_CALL_VIEW (f->in), &error));
  g_assert_true (hail_test_wait_until (both_active, f, WAIT_MS));

  call = hail_call_manager_dial (carol_calls, uri, &error);
  g_assert_no_error (error);
  carol_view = hail_core_call_new (call, carol_calls, NULL, NULL, NULL, NULL, HAIL_CORE_CALL_RING);
  quiet_media (call);
  hail_core_call_start (carol_view);
  g_assert_true (hail_test_wait_until (waiting_rings, f, WAIT_MS));
  g_assert_cmpint (hail_call_view_get_state (HAIL_CALL_VIEW (f->waiting)), ==,
                   HAIL_CALL_VIEW_STATE_INCOMING);
  g_assert_cmpint (hail_call_view_get_state (HAIL_CALL_VIEW (f->in)), ==,
                   HAIL_CALL_VIEW_STATE_ACTIVE);

  if (GPOINTER_TO_INT (data))
    g_object_set (f->in, "held", TRUE, NULL);
  g_assert_true (hail_call_view_answer (HAIL_CALL_VIEW (f->waiting), &error));
  g_assert_no_error (error);
  g_assert_true (hail_test_wait_until (first_held_second_active, f, WAIT_MS));
  g_object_get (f->out, "held", &held, NULL);
  g_assert_false (held);      /* Alice put nobody on hold: Bob did. */

  g_assert_true (hail_call_view_hang_up (HAIL_CALL_VIEW (carol_view), &error));
  g_assert_true (hail_test_wait_until (carol_ended, f->waiting, WAIT_MS));
  g_assert_true (hail_test_wait_until (carol_ended, carol_view, WAIT_MS));
  g_assert_cmpint (hail_call_view_get_state (HAIL_CALL_VIEW (f->in)), ==,
                   HAIL_CALL_VIEW_STATE_ACTIVE);
}

int
main (int    argc,
      char **argv)
{
  /* No sound server: the ring tone fails quietly instead of reaching a
   * desktop's (an explicit server also stops PulseAudio's autospawn). */
  g_setenv ("PULSE_SERVER", "unix:/nonexistent/hail-test", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/core-call/map-state", test_map_state);
  g_test_add_func ("/app/core-call/describe-end", test_describe_end);
  g_test_add_func ("/app/call-quality/codec-text", test_quality_codec_text);
  g_test_add_func ("/app/call-quality/percent", test_quality_percent);
  g_test_add_func ("/app/call-quality/threshold", test_quality_threshold);
  g_test_add ("/app/core-call/answered", Fixture, NULL, fixture_set_up, test_answered,
              fixture_tear_down);
  g_test_add ("/app/core-call/quality", Fixture, NULL, fixture_set_up, test_quality,
              fixture_tear_down);
  g_test_add ("/app/core-call/declined", Fixture, NULL, fixture_set_up, test_declined,
              fixture_tear_down);
  g_test_add ("/app/core-call/call-waiting", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up,
              test_call_waiting, fixture_tear_down);
  g_test_add ("/app/core-call/call-waiting-held-first", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_call_waiting, fixture_tear_down);
  return g_test_run ();
}
