/* hail-cli-call.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `hail-cli call`, and the call events `listen` shares: an INVITE with
 * SDP, audio from a WAV (or RTP silence), DTMF once established, the
 * received audio recorded, BYE after --duration or when the peer hangs
 * up; SIGINT/SIGTERM cancel or hang up, waiting at most
 * HAIL_CLI_SHUTDOWN_SECONDS.
 */
#include "config.h"

#include "hail-cli-call.h"

#include "hail-cli-event.h"
#include "hail-sip-error.h"

#include <glib/gi18n.h>

#include <string.h>

/* The default call length, in seconds (CLI.md). */
#define HAIL_CLI_CALL_DEFAULT_DURATION 5
/* Milliseconds between "established" and the first DTMF digit, so the
 * peer's jitter buffer has started. */
#define HAIL_CLI_CALL_DTMF_DELAY_MS 500
/* Default of --transfer-after, in seconds. */
#define HAIL_CLI_CALL_DEFAULT_TRANSFER_AFTER 1

typedef struct {
  HailCliContext *ctx;
  HailCall       *call;
  void          (*on_end) (HailCliContext *ctx,
                           HailCall       *call);
  gboolean        ended;
} Watch;

static void
watch_free (gpointer data)
{
  g_free (data);
}

static const char *
state_name (HailCall            *call,
            HailSipSessionState  state,
            guint               *status)
{
  *status = 0;
  switch (state)
    {
    case HAIL_SIP_SESSION_STATE_CALLING:
      return "calling";
    case HAIL_SIP_SESSION_STATE_INCOMING:
      return "incoming";
    case HAIL_SIP_SESSION_STATE_RINGING:
      if (hail_call_get_outgoing (call))
        *status = 180;
      return hail_call_get_outgoing (call) ? "ringing" : NULL;
    case HAIL_SIP_SESSION_STATE_EARLY:
      *status = 183;
      return hail_call_get_outgoing (call) ? "early" : NULL;
    case HAIL_SIP_SESSION_STATE_ESTABLISHED:
      if (hail_call_get_outgoing (call))
        *status = 200;
      return "established";
    case HAIL_SIP_SESSION_STATE_TERMINATED:
      *status = hail_call_get_status (call);
      return "terminated";
    case HAIL_SIP_SESSION_STATE_IDLE:
    case HAIL_SIP_SESSION_STATE_CONNECTING:
    case HAIL_SIP_SESSION_STATE_TERMINATING:
    default:
      return NULL;
    }
}

static void
emit_media (HailCliContext *ctx,
            HailCall       *call)
{
  g_autoptr(HailCliEvent) event = NULL;

  if (hail_call_get_codec (call) == NULL)
    return;
  event = hail_cli_event_new ("call-media");
  hail_cli_event_add_string (event, "call_id", hail_call_get_call_id (call));
  hail_cli_event_add_string (event, "codec", hail_call_get_codec (call));
  hail_cli_event_add_string (event, "remote", hail_call_get_remote_media (call));
  hail_cli_event_add_bool (event, "srtp", hail_call_get_srtp (call));
  if (hail_call_get_direction (call) != NULL)
    hail_cli_event_add_string (event, "direction", hail_call_get_direction (call));
  hail_cli_event_add_int (event, "packets_sent", (gint64) hail_call_get_packets_sent (call));
  hail_cli_event_add_int (event, "packets_received",
                          (gint64) hail_call_get_packets_received (call));
  hail_cli_event_emit (event, ctx->opts.json);
}

static void
emit_state (HailCliContext *ctx,
            HailCall       *call,
            const char     *state,
            guint           status)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("call-state");
  const char *reason = NULL;

  hail_cli_event_add_string (event, "call_id", hail_call_get_call_id (call));
  hail_cli_event_add_string (event, "state", state);
  if (status != 0)
    hail_cli_event_add_int (event, "status", status);
  if (g_str_equal (state, "terminated"))
    reason = hail_call_get_reason (call);
  else if (g_str_equal (state, "incoming"))
    hail_cli_event_add_string (event, "from", hail_call_get_remote_uri (call));
  if (reason != NULL)
    hail_cli_event_add_string (event, "reason", reason);
  hail_cli_event_emit (event, ctx->opts.json);
}

static void
call_state_cb (HailCall   *call,
               GParamSpec *pspec,
               Watch      *watch)
{
  HailSipSessionState state = hail_call_get_state (call);
  const char *name;
  guint status;

  if (watch->ended)
    return;
  name = state_name (call, state, &status);
  if (name != NULL)
    emit_state (watch->ctx, call, name, status);
  if (state == HAIL_SIP_SESSION_STATE_ESTABLISHED)
    emit_media (watch->ctx, call);
  if (state == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      watch->ended = TRUE;
      emit_media (watch->ctx, call);
      if (watch->on_end != NULL)
        watch->on_end (watch->ctx, call);
    }
}

/* Hold and resume, ours or the peer's: the new direction. */
static void
direction_cb (HailCall   *call,
              GParamSpec *pspec,
              Watch      *watch)
{
  if (!watch->ended && hail_call_get_state (call) == HAIL_SIP_SESSION_STATE_ESTABLISHED)
    emit_media (watch->ctx, call);
}

static void
dtmf_received_cb (HailCall   *call,
                  const char *digit,
                  Watch      *watch)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("dtmf-received");

  hail_cli_event_add_string (event, "call_id", hail_call_get_call_id (call));
  hail_cli_event_add_string (event, "digit", digit);
  hail_cli_event_emit (event, watch->ctx->opts.json);
}

void
hail_cli_call_watch (HailCliContext  *ctx,
                     HailCall        *call,
                     void           (*on_end) (HailCliContext *ctx,
                                               HailCall       *call))
{
  Watch *watch = g_new0 (Watch, 1);

  watch->ctx = ctx;
  watch->call = call;
  watch->on_end = on_end;
  g_object_set_data_full (G_OBJECT (call), "hail-cli-watch", watch, watch_free);
  g_signal_connect (call, "notify::state", G_CALLBACK (call_state_cb), watch);
  g_signal_connect (call, "dtmf-received", G_CALLBACK (dtmf_received_cb), watch);
  g_signal_connect (call, "notify::direction", G_CALLBACK (direction_cb), watch);
}

/* The record path of the @n-th call a transfer made from @record. */
static char *
transfer_record_path (const char *record,
                      guint       n)
{
  g_autofree char *base = NULL;

  if (record == NULL)
    return NULL;
  base = g_str_has_suffix (record, ".wav") ? g_strndup (record, strlen (record) - 4)
                                           : g_strdup (record);
  return g_strdup_printf ("%s-transfer-%u.wav", base, n);
}

static void
emit_transfer (HailCliContext *ctx,
               HailCall       *call,
               const char     *target,
               const char     *state,
               const GError   *error)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("call-transfer");

  hail_cli_event_add_string (event, "call_id", hail_call_get_call_id (call));
  hail_cli_event_add_string (event, "target", target);
  hail_cli_event_add_string (event, "state", state);
  if (error != NULL && error->domain == HAIL_SIP_STATUS_ERROR)
    hail_cli_event_add_int (event, "status", error->code);
  if (error != NULL)
    hail_cli_event_add_string (event, "reason", error->message);
  hail_cli_event_emit (event, ctx->opts.json);
}

/* Sources and sinks from the command line. */
static gboolean
set_media (HailCall    *call,
           const char  *play,
           const char  *record,
           GError     **error)
{
  g_autoptr(HailMediaSource) source = NULL;
  g_autoptr(HailMediaSink) sink = NULL;

  /* Without a WAV, RTP silence keeps the stream (and NAT bindings) up. */
  source = play != NULL ? hail_media_source_new_file (play, TRUE) : hail_media_source_new_silence ();
  sink = record != NULL ? hail_media_sink_new_recorder (record) : hail_media_sink_new_discard ();
  return hail_call_set_source (call, source, error) && hail_call_set_sink (call, sink, error);
}

static gboolean
check_play (HailCliContext *ctx,
            const char     *play)
{
  g_autofree char *message = NULL;

  if (play == NULL || g_file_test (play, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  message = g_strdup_printf (_("cannot read the WAV file “%s”"), play);
  hail_cli_context_error (ctx, message);
  return FALSE;
}

/* ---- call ---- */

typedef struct {
  char            *uri;
  int              duration;
  char            *dtmf;
  char            *play;
  char            *record;
  char            *codecs;
  char            *transfer_to;
  int              transfer_after;
  HailCallManager *manager;
  HailCall        *call;
  guint            duration_id;
  guint            dtmf_id;
  guint            stop_id;
  guint            transfer_id;
  guint            transfers;      /* Calls made for a peer's REFER. */
  gboolean         established;
} CallData;

static void
call_ended (HailCliContext *ctx,
            HailCall       *call)
{
  CallData *data = ctx->command_data;

  /* A call we were transferred away from: the new one goes on. */
  if (call != data->call)
    return;
  g_clear_handle_id (&data->duration_id, g_source_remove);
  g_clear_handle_id (&data->dtmf_id, g_source_remove);
  g_clear_handle_id (&data->stop_id, g_source_remove);
  g_clear_handle_id (&data->transfer_id, g_source_remove);
  hail_cli_context_finish (ctx, data->established && hail_call_get_media_error (call) == NULL
                                ? 0 : 1);
}

static void
hangup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_call_hangup_finish (HAIL_CALL (source), result, &error))
    g_debug ("Hang-up failed: %s", error->message);
}

static gboolean
duration_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;
  CallData *data = ctx->command_data;

  data->duration_id = 0;
  hail_call_hangup_async (data->call, NULL, hangup_cb, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
dtmf_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;
  CallData *data = ctx->command_data;
  g_autoptr(GError) error = NULL;

  data->dtmf_id = 0;
  if (!hail_call_send_dtmf (data->call, data->dtmf, &error))
    hail_cli_context_error (ctx, error->message);
  return G_SOURCE_REMOVE;
}

static void
transferred_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  HailCliContext *ctx = user_data;
  CallData *data = ctx->command_data;
  g_autoptr(GError) error = NULL;

  /* On success the call hangs up by itself (RFC 5589 §6.1). */
  if (hail_call_transfer_finish (HAIL_CALL (source), result, &error))
    emit_transfer (ctx, HAIL_CALL (source), data->transfer_to, "done", NULL);
  else
    emit_transfer (ctx, HAIL_CALL (source), data->transfer_to, "failed", error);
}

static gboolean
transfer_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;
  CallData *data = ctx->command_data;

  data->transfer_id = 0;
  emit_transfer (ctx, data->call, data->transfer_to, "requested", NULL);
  hail_call_transfer_async (data->call, data->transfer_to, NULL, transferred_cb, ctx);
  return G_SOURCE_REMOVE;
}

/* Our call, or the one a peer's REFER made, is answered. */
static void
call_established (HailCliContext *ctx)
{
  CallData *data = ctx->command_data;

  data->established = TRUE;
  g_clear_handle_id (&data->dtmf_id, g_source_remove);
  g_clear_handle_id (&data->duration_id, g_source_remove);
  if (data->dtmf != NULL && *data->dtmf != '\0')
    data->dtmf_id = g_timeout_add (HAIL_CLI_CALL_DTMF_DELAY_MS, dtmf_cb, ctx);
  if (ctx->stopping)
    return;
  data->duration_id = g_timeout_add_seconds ((guint) data->duration, duration_cb, ctx);
  if (data->transfer_to != NULL && data->transfer_id == 0 && data->transfers == 0)
    data->transfer_id = g_timeout_add ((guint) data->transfer_after * 1000, transfer_cb, ctx);
}

static void
transfer_call_state_cb (HailCall       *call,
                        GParamSpec     *pspec,
                        HailCliContext *ctx)
{
  CallData *data = ctx->command_data;

  if (call == data->call && hail_call_get_state (call) == HAIL_SIP_SESSION_STATE_ESTABLISHED)
    call_established (ctx);
}

/* Transferee (RFC 3515): the peer's REFER made @transfer; it carries the
 * same audio and becomes the call that --duration and the exit code
 * follow. */
static void
call_transfer_call_cb (HailCallManager *manager,
                       HailCall        *transfer,
                       HailCall        *original,
                       HailCliContext  *ctx)
{
  CallData *data = ctx->command_data;
  g_autofree char *record = transfer_record_path (data->record, ++data->transfers);
  g_autoptr(GError) error = NULL;

  if (original != data->call || ctx->stopping)
    return;
  if (!set_media (transfer, data->play, record, &error))
    g_debug ("Transfer call without media: %s", error->message);
  g_clear_handle_id (&data->duration_id, g_source_remove);
  g_clear_handle_id (&data->dtmf_id, g_source_remove);
  g_clear_handle_id (&data->transfer_id, g_source_remove);
  g_set_object (&data->call, transfer);
  data->established = FALSE;
  emit_transfer (ctx, original, hail_call_get_remote_uri (transfer), "following", NULL);
  hail_cli_call_watch (ctx, transfer, call_ended);
  g_signal_connect (transfer, "notify::state", G_CALLBACK (transfer_call_state_cb), ctx);
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  HailCliContext *ctx = user_data;
  g_autoptr(GError) error = NULL;

  if (!hail_call_start_finish (HAIL_CALL (source), result, &error))
    {
      /* The terminated event carries the status; other failures get an
       * error event too. */
      if (error->domain != HAIL_SIP_STATUS_ERROR
          && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = hail_sip_describe_failure (error, 0, NULL);

          hail_cli_context_error (ctx, text);
        }
      return;
    }
  call_established (ctx);
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  HailCliContext *ctx = user_data;
  CallData *data = ctx->command_data;

  data->stop_id = 0;
  /* The peer did not answer our CANCEL or BYE in time. */
  g_debug ("No answer to the hang-up within %d s", HAIL_CLI_SHUTDOWN_SECONDS);
  hail_cli_context_finish (ctx, data->established ? 0 : 1);
  return G_SOURCE_REMOVE;
}

static void
call_stop (HailCliContext *ctx)
{
  CallData *data = ctx->command_data;

  g_clear_handle_id (&data->duration_id, g_source_remove);
  if (data->call == NULL || hail_call_get_state (data->call) == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  /* CANCEL before an answer, BYE after; bounded. */
  if (data->stop_id == 0)
    data->stop_id = g_timeout_add_seconds (HAIL_CLI_SHUTDOWN_SECONDS, stop_timeout_cb, ctx);
  hail_call_hangup_async (data->call, NULL, hangup_cb, NULL);
}

static void
call_registered (HailCliContext *ctx,
                 gboolean        ok)
{
  CallData *data = ctx->command_data;
  g_autoptr(GError) error = NULL;

  if (!ok || ctx->stopping)
    {
      hail_cli_context_finish (ctx, 1);
      return;
    }
  data->call = hail_call_manager_dial (data->manager, data->uri, &error);
  if (data->call == NULL || !set_media (data->call, data->play, data->record, &error))
    {
      hail_cli_context_error (ctx, error->message);
      hail_cli_context_finish (ctx, 1);
      return;
    }
  hail_cli_call_watch (ctx, data->call, call_ended);
  g_signal_connect (data->manager, "transfer-call", G_CALLBACK (call_transfer_call_cb), ctx);
  hail_call_start_async (data->call, NULL, started_cb, ctx);
}

static gboolean
valid_digits (const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    if (strchr ("0123456789*#ABCDabcd", *p) == NULL)
      return FALSE;
  return strlen (digits) <= HAIL_MEDIA_DTMF_MAX_QUEUED;
}

static void
call_data_clear (CallData *data)
{
  g_clear_handle_id (&data->stop_id, g_source_remove);
  g_clear_handle_id (&data->duration_id, g_source_remove);
  g_clear_handle_id (&data->dtmf_id, g_source_remove);
  g_clear_handle_id (&data->transfer_id, g_source_remove);
  g_clear_object (&data->call);
  g_clear_object (&data->manager);
  g_free (data->transfer_to);
  g_free (data->dtmf);
  g_free (data->play);
  g_free (data->record);
  g_free (data->codecs);
}

int
hail_cli_call_run (HailCliContext  *ctx,
                   int              argc,
                   char           **argv)
{
  CallData data = { .duration = HAIL_CLI_CALL_DEFAULT_DURATION,
                    .transfer_after = HAIL_CLI_CALL_DEFAULT_TRANSFER_AFTER };
  g_autoptr(GOptionContext) context = g_option_context_new (_("URI - make a call"));
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  g_auto(GStrv) codecs = NULL;
  int code;
  const GOptionEntry entries[] = {
    { "duration", 0, 0, G_OPTION_ARG_INT, &data.duration,
      N_("Hang up after S seconds (default 5)"), "S" },
    { "dtmf", 0, 0, G_OPTION_ARG_STRING, &data.dtmf,
      N_("Send these DTMF digits once established"), "DIGITS" },
    { "play", 0, 0, G_OPTION_ARG_FILENAME, &data.play,
      N_("WAV file to send"), "WAV" },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &data.record,
      N_("Record what is received to this WAV file"), "WAV" },
    { "codecs", 0, 0, G_OPTION_ARG_STRING, &data.codecs,
      N_("Codecs to offer, by preference (default opus,G722,PCMU,PCMA)"), "LIST" },
    { "transfer-to", 0, 0, G_OPTION_ARG_STRING, &data.transfer_to,
      N_("Once answered, transfer the peer to this URI (blind, REFER)"), "URI" },
    { "transfer-after", 0, 0, G_OPTION_ARG_INT, &data.transfer_after,
      N_("Seconds between the answer and the transfer (default 1)"), "S" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      hail_cli_context_error (ctx, error->message);
      call_data_clear (&data);
      return 2;
    }
  if (argc != 2 || data.duration <= 0 || (data.dtmf != NULL && !valid_digits (data.dtmf))
      || data.transfer_after < 0 || data.transfer_after > 86400)
    {
      hail_cli_context_error (ctx, argc != 2 ? _("call takes one URI")
                                             : _("--duration must be positive, --transfer-after "
                                                 "0 to 86400 and --dtmf only 0-9, *, #, A-D"));
      call_data_clear (&data);
      return 2;
    }
  if (data.transfer_to != NULL)
    {
      g_autoptr(HailSipUri) target = hail_sip_uri_parse (data.transfer_to, -1, NULL);

      if (target == NULL || hail_sip_uri_get_host (target) == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("invalid --transfer-to URI “%s”"),
                                                      data.transfer_to);

          hail_cli_context_error (ctx, message);
          call_data_clear (&data);
          return 2;
        }
    }
  uri = hail_sip_uri_parse (argv[1], -1, &error);
  if (uri == NULL || hail_sip_uri_get_host (uri) == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("invalid URI “%s”: %s"), argv[1],
                         error != NULL ? error->message : _("it must be a sip: or sips: URI"));

      hail_cli_context_error (ctx, message);
      call_data_clear (&data);
      return 2;
    }
  if (!check_play (ctx, data.play))
    {
      call_data_clear (&data);
      return 2;
    }
  if (!hail_cli_context_prepare (ctx, NULL))
    {
      call_data_clear (&data);
      return ctx->exit_code;
    }
  data.uri = argv[1];
  data.manager = hail_call_manager_new (ctx->account);
  if (data.codecs != NULL)
    {
      codecs = g_strsplit (data.codecs, ",", -1);
      hail_call_manager_set_codecs (data.manager, (const char * const *) codecs);
    }
  ctx->command_data = &data;
  ctx->on_stop = call_stop;
  hail_cli_context_register (ctx, call_registered);
  code = hail_cli_context_run (ctx);
  ctx->on_stop = NULL;
  call_data_clear (&data);
  return code;
}

/* ---- listen's incoming calls ---- */

struct _HailCliAnswerer {
  HailCliContext       *ctx;
  HailCliAnswerOptions  opts;
  HailCallManager      *manager;
  GStrv                 codecs;
  void                (*then) (HailCliContext *ctx);
  guint                 stop_id;
  guint                 n_calls;
};

static void
answerer_done (HailCliAnswerer *self)
{
  void (*then) (HailCliContext *ctx) = self->then;

  g_clear_handle_id (&self->stop_id, g_source_remove);
  self->then = NULL;
  if (then != NULL)
    then (self->ctx);
}

static void
answer_hangup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HailCliAnswerer *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hail_call_hangup_finish (HAIL_CALL (source), result, &error))
    g_debug ("Hang-up failed: %s", error->message);
  if (self->then != NULL
      && g_list_model_get_n_items (hail_call_manager_get_calls (self->manager)) == 0)
    answerer_done (self);
}

static char *
record_path (HailCliAnswerer *self,
             HailCall        *call)
{
  g_autofree char *name = NULL;

  self->n_calls++;
  /* The Call-ID is the peer's text: keep only safe characters. */
  name = g_strdup_printf ("call-%03u-%s", self->n_calls, hail_call_get_call_id (call));
  g_strcanon (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", '_');
  if (strlen (name) > 64)
    name[64] = '\0';
  return g_strdup_printf ("%s/%s.wav", self->opts.record_dir, name);
}

/* Call waiting: when the call we talked in ends and one call is left on
 * hold, it is resumed, even while its hold is still on its way. */
static void
answerer_call_ended (HailCliContext *ctx,
                     HailCall       *call)
{
  HailCliAnswerer *self = g_object_get_data (G_OBJECT (call), "hail-cli-answerer");
  GListModel *calls;
  g_autoptr(HailCall) held = NULL;
  g_autoptr(GError) error = NULL;
  guint n_live = 0;

  if (self == NULL || self->then != NULL || hail_call_get_held_requested (call))
    return;
  calls = hail_call_manager_get_calls (self->manager);
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(HailCall) other = g_list_model_get_item (calls, i);

      if (other == call || hail_call_get_state (other) == HAIL_SIP_SESSION_STATE_TERMINATED)
        continue;
      n_live++;
      if (hail_call_get_held_requested (other)
          && hail_call_get_state (other) == HAIL_SIP_SESSION_STATE_ESTABLISHED)
        g_set_object (&held, other);
    }
  if (n_live == 1 && held != NULL && !hail_call_manager_resume (self->manager, held, &error))
    g_debug ("Could not resume the held call: %s", error->message);
}

static void
answerer_watch (HailCliAnswerer *self,
                HailCall        *call)
{
  g_object_set_data (G_OBJECT (call), "hail-cli-answerer", self);
  hail_cli_call_watch (self->ctx, call, answerer_call_ended);
}

/* A peer's REFER made @transfer: it sends and records like an answered
 * call. */
static void
answerer_transfer_call_cb (HailCallManager *manager,
                           HailCall        *transfer,
                           HailCall        *original,
                           HailCliAnswerer *self)
{
  g_autofree char *record = self->opts.record_dir != NULL ? record_path (self, transfer) : NULL;
  g_autoptr(GError) error = NULL;

  emit_transfer (self->ctx, original, hail_call_get_remote_uri (transfer), "following", NULL);
  if (!set_media (transfer, self->opts.play, record, &error))
    g_debug ("Transfer call without media: %s", error->message);
  answerer_watch (self, transfer);
}

/* Added to CLI.md: an INVITE refused before ringing (488 for an offer we
 * cannot meet, 400 for a malformed one), which is otherwise invisible. */
static void
call_refused_cb (HailCallManager *manager,
                 const char      *from,
                 const char      *reason,
                 guint            status,
                 HailCliAnswerer *self)
{
  g_autoptr(HailCliEvent) event = hail_cli_event_new ("call-refused");

  hail_cli_event_add_string (event, "from", from);
  hail_cli_event_add_string (event, "reason", reason);
  hail_cli_event_add_int (event, "status", status);
  hail_cli_event_emit (event, self->ctx->opts.json);
}

static void
incoming_call_cb (HailCallManager *manager,
                  HailCall        *call,
                  HailCliAnswerer *self)
{
  g_autoptr(GError) error = NULL;

  emit_state (self->ctx, call, "incoming", 0);
  if (hail_call_manager_is_waiting (manager, call))
    {
      g_autoptr(HailCliEvent) event = hail_cli_event_new ("call-state");

      /* Added to CLI.md's ringing: a second call while in one. */
      hail_cli_event_add_string (event, "call_id", hail_call_get_call_id (call));
      hail_cli_event_add_string (event, "state", "ringing");
      hail_cli_event_add_bool (event, "waiting", TRUE);
      hail_cli_event_emit (event, self->ctx->opts.json);
    }
  answerer_watch (self, call);
  if (self->ctx->stopping)
    {
      hail_call_reject (call, 480, NULL);
      return;
    }
  if (self->opts.reject != 0)
    {
      if (!hail_call_reject (call, (guint) self->opts.reject, &error))
        hail_cli_context_error (self->ctx, error->message);
      return;
    }
  if (!self->opts.auto_answer)
    return;
  {
    g_autofree char *record = self->opts.record_dir != NULL ? record_path (self, call) : NULL;

    if (!set_media (call, self->opts.play, record, &error)
        || !hail_call_manager_answer (self->manager, call, &error))
      {
        hail_cli_context_error (self->ctx, error->message);
        hail_call_hangup_async (call, NULL, NULL, NULL);
      }
  }
}

HailCliAnswerer *
hail_cli_answerer_new (HailCliContext              *ctx,
                       const HailCliAnswerOptions  *opts,
                       GError                     **error)
{
  HailCliAnswerer *self;

  if (opts->record_dir != NULL && !g_file_test (opts->record_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY,
                   _("“%s” is not a directory"), opts->record_dir);
      return NULL;
    }
  if (opts->play != NULL && !g_file_test (opts->play, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("cannot read the WAV file “%s”"), opts->play);
      return NULL;
    }
  self = g_new0 (HailCliAnswerer, 1);
  self->ctx = ctx;
  self->opts.auto_answer = opts->auto_answer;
  self->opts.reject = opts->reject;
  self->opts.play = g_strdup (opts->play);
  self->opts.record_dir = g_strdup (opts->record_dir);
  self->manager = hail_call_manager_new (ctx->account);
  if (opts->codecs != NULL)
    {
      self->codecs = g_strsplit (opts->codecs, ",", -1);
      hail_call_manager_set_codecs (self->manager, (const char * const *) self->codecs);
    }
  g_signal_connect (self->manager, "incoming-call", G_CALLBACK (incoming_call_cb), self);
  g_signal_connect (self->manager, "transfer-call", G_CALLBACK (answerer_transfer_call_cb), self);
  g_signal_connect (self->manager, "call-refused", G_CALLBACK (call_refused_cb), self);
  return self;
}

static gboolean
answerer_timeout_cb (gpointer user_data)
{
  HailCliAnswerer *self = user_data;

  self->stop_id = 0;
  g_debug ("Calls did not end within %d s", HAIL_CLI_SHUTDOWN_SECONDS);
  answerer_done (self);
  return G_SOURCE_REMOVE;
}

void
hail_cli_answerer_stop (HailCliAnswerer  *self,
                        void            (*then) (HailCliContext *ctx))
{
  GListModel *calls = hail_call_manager_get_calls (self->manager);
  guint n = g_list_model_get_n_items (calls);
  g_autoptr(GPtrArray) snapshot = g_ptr_array_new_with_free_func (g_object_unref);

  self->then = then;
  if (n == 0)
    {
      answerer_done (self);
      return;
    }
  /* A call declined at once leaves the list while we walk it. */
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (snapshot, g_list_model_get_item (calls, i));
  self->stop_id = g_timeout_add_seconds (HAIL_CLI_SHUTDOWN_SECONDS, answerer_timeout_cb, self);
  for (guint i = 0; i < snapshot->len; i++)
    hail_call_hangup_async (g_ptr_array_index (snapshot, i), NULL, answer_hangup_cb, self);
}

void
hail_cli_answerer_free (HailCliAnswerer *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->stop_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->manager, self);
  g_clear_object (&self->manager);
  g_strfreev (self->codecs);
  g_free (self->opts.play);
  g_free (self->opts.record_dir);
  g_free (self);
}
