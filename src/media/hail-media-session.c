/* hail-media-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One RTP audio stream of a call. The session binds its RTP/RTCP ports when
 * created, so the offer can name them, then runs a pipeline (see
 * hail-media-session-pipeline.c) for each stream description it is given.
 */
#include "config.h"

#include "hail-media-session.h"

#include "hail-media-enums.h"
#include "hail-media-error.h"
#include "hail-media-private.h"
#include "hail-media-session-private.h"

#include <string.h>

/* Packet counters are polled this often (10 Hz, like the levels). */
#define STATS_INTERVAL_MS 100

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_LOCAL_ADDRESS,
  PROP_LOCAL_RTP_PORT,
  PROP_LOCAL_RTCP_PORT,
  PROP_SOURCE,
  PROP_SINK,
  PROP_MUTED,
  PROP_INPUT_LEVEL,
  PROP_OUTPUT_LEVEL,
  PROP_PACKETS_SENT,
  PROP_PACKETS_RECEIVED,
  PROP_JITTER_LATENCY,
  PROP_ADAPTIVE_JITTER,
  N_PROPS
};

enum {
  SIGNAL_DTMF_RECEIVED,
  N_SIGNALS
};

struct _HailMediaSession {
  GObject parent_instance;

  /* owned */
  GMainContext          *context;
  GSocket               *rtp_socket;
  GSocket               *rtcp_socket;
  char                  *local_address;
  HailMediaSource       *source;
  HailMediaSink         *sink;
  HailMediaStreamConfig *config;
  HailMediaPipeline     *pipeline;
  GError                *error;
  GString               *dtmf_queue;

  /* Sources on @context: the bus watch, the counter poll and the DTMF
   * sequencer. GSources rather than ids, since @context may not be the
   * global default one. */
  GSource *bus_watch;
  GSource *stats_timer;
  GSource *dtmf_timer;
  GSource *jitter_timer;

  /* state */
  HailMediaSessionState state;
  guint16               rtp_port;
  guint16               rtcp_port;
  gboolean              muted;
  gboolean              dtmf_sounding;
  int                   dtmf_event;
  double                input_level;
  double                output_level;
  guint64               packets_sent;       /* as last notified */
  guint64               packets_received;   /* as last notified */
  guint64               sent_before;        /* by pipelines already torn down */
  guint64               received_before;
  HailMediaJitter       jitter;             /* the adaptive playout delay */
  gboolean              adaptive_jitter;
  guint64               late_before;        /* jitter buffer counts of torn down pipelines */
  guint64               lost_before;
};

G_DEFINE_FINAL_TYPE (HailMediaSession, hail_media_session, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char dtmf_digits[] = "0123456789*#ABCD";

static GSource *
attach_timeout (HailMediaSession *self,
                guint             ms,
                GSourceFunc       func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
set_state (HailMediaSession      *self,
           HailMediaSessionState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_level (HailMediaSession *self,
           double           *level,
           double            value,
           GParamSpec       *pspec)
{
  if (*level == value)
    return;
  *level = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
update_counters (HailMediaSession *self)
{
  guint64 sent = self->sent_before;
  guint64 received = self->received_before;

  if (self->pipeline != NULL)
    {
      sent += _hail_media_pipeline_get_sent (self->pipeline);
      received += _hail_media_pipeline_get_received (self->pipeline);
    }
  if (sent != self->packets_sent)
    {
      self->packets_sent = sent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PACKETS_SENT]);
    }
  if (received != self->packets_received)
    {
      self->packets_received = received;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PACKETS_RECEIVED]);
    }
}

static gboolean
stats_cb (gpointer user_data)
{
  update_counters (user_data);
  return G_SOURCE_CONTINUE;
}

/* The periodic check of the jitter buffers (see hail-media-jitter.c). */
static gboolean
jitter_cb (gpointer user_data)
{
  HailMediaSession *self = user_data;
  HailMediaJitterStats stats;
  guint old = self->jitter.latency_ms;

  if (!self->adaptive_jitter)
    return G_SOURCE_CONTINUE;
  _hail_media_pipeline_get_jitter_stats (self->pipeline, &stats);
  if (_hail_media_jitter_update (&self->jitter, &stats))
    {
      g_debug ("Jitter buffer latency %u -> %u ms (late %" G_GUINT64_FORMAT ", lost %"
               G_GUINT64_FORMAT ", jitter %u ms)", old, self->jitter.latency_ms,
               stats.late, stats.lost, stats.jitter_ms);
      _hail_media_pipeline_set_latency (self->pipeline, self->jitter.latency_ms);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JITTER_LATENCY]);
    }
  return G_SOURCE_CONTINUE;
}

/* The jitter buffer counts since the session was created. */
static HailMediaJitterStats
jitter_stats (HailMediaSession *self)
{
  HailMediaJitterStats stats = { 0, };

  if (self->pipeline != NULL)
    _hail_media_pipeline_get_jitter_stats (self->pipeline, &stats);
  stats.late += self->late_before;
  stats.lost += self->lost_before;
  return stats;
}

/* Tears the pipeline down at once (bounded, see _hail_media_pipeline_free),
 * keeping its packet counts. */
static void
teardown (HailMediaSession *self)
{
  HailMediaJitterStats stats;

  clear_source (&self->bus_watch);
  clear_source (&self->dtmf_timer);
  clear_source (&self->stats_timer);
  clear_source (&self->jitter_timer);
  self->dtmf_sounding = FALSE;
  if (self->dtmf_queue != NULL)
    g_string_truncate (self->dtmf_queue, 0);
  if (self->pipeline == NULL)
    return;
  update_counters (self);
  self->sent_before = self->packets_sent;
  self->received_before = self->packets_received;
  stats = jitter_stats (self);
  self->late_before = stats.late;
  self->lost_before = stats.lost;
  g_clear_pointer (&self->pipeline, _hail_media_pipeline_free);
  set_level (self, &self->input_level, 0.0, properties[PROP_INPUT_LEVEL]);
  set_level (self, &self->output_level, 0.0, properties[PROP_OUTPUT_LEVEL]);
}

static void
fail (HailMediaSession *self,
      GError           *error)
{
  g_debug ("Media session failed: %s", error->message);
  teardown (self);
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  set_state (self, HAIL_MEDIA_SESSION_STATE_FAILED);
}

static void
handle_element_message (HailMediaSession *self,
                        GstMessage       *message)
{
  const GstStructure *s = gst_message_get_structure (message);
  GstObject *src = GST_MESSAGE_SRC (message);
  double level;

  if (gst_structure_has_name (s, "level") && _hail_media_gst_parse_level (s, &level))
    {
      if (_hail_media_pipeline_is_in_level (self->pipeline, src))
        set_level (self, &self->input_level, level, properties[PROP_INPUT_LEVEL]);
      else if (_hail_media_pipeline_is_out_level (self->pipeline, src))
        set_level (self, &self->output_level, level, properties[PROP_OUTPUT_LEVEL]);
    }
  else if (gst_structure_has_name (s, "dtmf-event"))
    {
      gboolean start = TRUE;
      int number;

      /* rtpdtmfdepay posts one message when an event begins; the peer's
       * redundant end packets do not repeat it. */
      gst_structure_get_boolean (s, "start", &start);
      if (start && gst_structure_get_int (s, "number", &number)
          && number >= 0 && number < (int) strlen (dtmf_digits))
        {
          char digit[2] = { dtmf_digits[number], '\0' };

          g_debug ("DTMF %s received", digit);
          g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, digit);
        }
    }
}

/* Main context: everything from the pipeline's threads arrives here. */
static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  HailMediaSession *self = user_data;
  g_autoptr(GError) cause = NULL;
  g_autofree char *debug = NULL;
  GstElement *pipeline;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &cause, &debug);
      g_debug ("Pipeline error from %s: %s (%s)", GST_OBJECT_NAME (GST_MESSAGE_SRC (message)),
               cause->message, debug != NULL ? debug : "");
      /* fail() destroys this watch; returning REMOVE as well is harmless. */
      fail (self, g_error_new (HAIL_MEDIA_ERROR,
                               cause->domain == GST_RESOURCE_ERROR
                               ? HAIL_MEDIA_ERROR_DEVICE : HAIL_MEDIA_ERROR_PIPELINE,
                               "Audio failed: %s", cause->message));
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_WARNING:
      gst_message_parse_warning (message, &cause, &debug);
      g_debug ("Pipeline warning: %s (%s)", cause->message, debug != NULL ? debug : "");
      break;
    case GST_MESSAGE_ELEMENT:
      handle_element_message (self, message);
      break;
    case GST_MESSAGE_LATENCY:
      /* A jitter buffer's latency changed: without a new pipeline latency
       * a device sink would drop what the jitter buffer now holds longer. */
      pipeline = _hail_media_pipeline_get_element (self->pipeline);
      if (!gst_bin_recalculate_latency (GST_BIN (pipeline)))
        g_debug ("The pipeline cannot take the new jitter buffer latency");
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* The DTMF sequencer: a digit sounds for HAIL_MEDIA_DTMF_TONE_MS, then a
 * pause of HAIL_MEDIA_DTMF_GAP_MS, then the next queued digit. */
static gboolean
dtmf_step_cb (gpointer user_data)
{
  HailMediaSession *self = user_data;

  g_clear_pointer (&self->dtmf_timer, g_source_unref);
  if (self->pipeline == NULL)
    return G_SOURCE_REMOVE;
  if (self->dtmf_sounding)
    {
      _hail_media_pipeline_dtmf (self->pipeline, self->dtmf_event, FALSE);
      self->dtmf_sounding = FALSE;
      self->dtmf_timer = attach_timeout (self, HAIL_MEDIA_DTMF_GAP_MS, dtmf_step_cb);
    }
  else if (self->dtmf_queue->len > 0)
    {
      self->dtmf_event = (int) (strchr (dtmf_digits, self->dtmf_queue->str[0]) - dtmf_digits);
      g_string_erase (self->dtmf_queue, 0, 1);
      _hail_media_pipeline_dtmf (self->pipeline, self->dtmf_event, TRUE);
      self->dtmf_sounding = TRUE;
      self->dtmf_timer = attach_timeout (self, HAIL_MEDIA_DTMF_TONE_MS, dtmf_step_cb);
    }
  return G_SOURCE_REMOVE;
}

/* Builds and plays a pipeline for @config with the current source and sink;
 * on failure nothing runs and the error is returned. */
static gboolean
run (HailMediaSession             *self,
     const HailMediaStreamConfig  *config,
     GError                      **error)
{
  g_autoptr(GstBus) bus = NULL;
  HailMediaPipeline *pipeline;

  pipeline = _hail_media_pipeline_new (self->rtp_socket, self->rtcp_socket, config,
                                       self->source, self->sink, self->muted, error);
  if (pipeline == NULL)
    return FALSE;
  self->pipeline = pipeline;
  _hail_media_jitter_reset (&self->jitter);
  _hail_media_pipeline_set_latency (pipeline, self->jitter.latency_ms);

  bus = gst_element_get_bus (_hail_media_pipeline_get_element (pipeline));
  self->bus_watch = _hail_media_gst_watch_bus (bus, bus_cb, self, self->context);

  if (!_hail_media_pipeline_play (pipeline, error))
    {
      teardown (self);
      return FALSE;
    }
  self->stats_timer = attach_timeout (self, STATS_INTERVAL_MS, stats_cb);
  self->jitter_timer = attach_timeout (self, HAIL_MEDIA_JITTER_CHECK_MS, jitter_cb);
  return TRUE;
}

static void
set_config (HailMediaSession            *self,
            const HailMediaStreamConfig *config)
{
  HailMediaStreamConfig *copy = hail_media_stream_config_copy (config);

  g_clear_pointer (&self->config, hail_media_stream_config_free);
  self->config = copy;
}

static gboolean
bytes_equal (GBytes *a,
             GBytes *b)
{
  return a == b || (a != NULL && b != NULL && g_bytes_equal (a, b));
}

/* Whether @a and @b differ in direction alone, so hold and resume can keep
 * the running pipeline. */
static gboolean
same_stream (const HailMediaStreamConfig *a,
             const HailMediaStreamConfig *b)
{
  return a->codec == b->codec
         && a->payload_type == b->payload_type
         && a->ptime == b->ptime
         && a->telephone_event_pt == b->telephone_event_pt
         && g_strcmp0 (a->fmtp, b->fmtp) == 0
         && g_strcmp0 (a->remote_address, b->remote_address) == 0
         && a->remote_rtp_port == b->remote_rtp_port
         && a->remote_rtcp_port == b->remote_rtcp_port
         && a->srtp_suite == b->srtp_suite
         && bytes_equal (a->srtp_send_key, b->srtp_send_key)
         && bytes_equal (a->srtp_recv_key, b->srtp_recv_key);
}

static gboolean
check_config (HailMediaSession             *self,
              const HailMediaStreamConfig  *config,
              GError                      **error)
{
  g_autoptr(GInetAddress) remote = NULL;

  if (!hail_media_stream_config_validate (config, error))
    return FALSE;
  if (config->local_address != NULL && g_strcmp0 (config->local_address, self->local_address) != 0)
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                   "The stream is for local address %s but the session is bound to %s",
                   config->local_address, self->local_address);
      return FALSE;
    }
  remote = g_inet_address_new_from_string (config->remote_address);
  if (g_inet_address_get_family (remote) != g_socket_get_family (self->rtp_socket))
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                   "The remote address %s is not of the local address family (%s)",
                   config->remote_address, self->local_address);
      return FALSE;
    }
  return TRUE;
}

/* Rebuilds a running pipeline after a change of stream, source or sink. */
static gboolean
rebuild (HailMediaSession  *self,
         GError           **error)
{
  g_autoptr(GError) local_error = NULL;

  teardown (self);
  if (!run (self, self->config, &local_error))
    {
      fail (self, g_error_copy (local_error));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
hail_media_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HailMediaSession *self = HAIL_MEDIA_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_string (value, self->local_address);
      break;
    case PROP_LOCAL_RTP_PORT:
      g_value_set_uint (value, self->rtp_port);
      break;
    case PROP_LOCAL_RTCP_PORT:
      g_value_set_uint (value, self->rtcp_port);
      break;
    case PROP_SOURCE:
      g_value_set_boxed (value, self->source);
      break;
    case PROP_SINK:
      g_value_set_boxed (value, self->sink);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_INPUT_LEVEL:
      g_value_set_double (value, self->input_level);
      break;
    case PROP_OUTPUT_LEVEL:
      g_value_set_double (value, self->output_level);
      break;
    case PROP_PACKETS_SENT:
      g_value_set_uint64 (value, self->packets_sent);
      break;
    case PROP_PACKETS_RECEIVED:
      g_value_set_uint64 (value, self->packets_received);
      break;
    case PROP_JITTER_LATENCY:
      g_value_set_uint (value, self->jitter.latency_ms);
      break;
    case PROP_ADAPTIVE_JITTER:
      g_value_set_boolean (value, self->adaptive_jitter);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_media_session_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HailMediaSession *self = HAIL_MEDIA_SESSION (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      hail_media_session_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_ADAPTIVE_JITTER:
      hail_media_session_set_adaptive_jitter (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_media_session_dispose (GObject *object)
{
  HailMediaSession *self = HAIL_MEDIA_SESSION (object);

  teardown (self);

  G_OBJECT_CLASS (hail_media_session_parent_class)->dispose (object);
}

static void
hail_media_session_finalize (GObject *object)
{
  HailMediaSession *self = HAIL_MEDIA_SESSION (object);

  if (self->rtp_socket != NULL)
    g_socket_close (self->rtp_socket, NULL);
  if (self->rtcp_socket != NULL)
    g_socket_close (self->rtcp_socket, NULL);
  g_clear_object (&self->rtp_socket);
  g_clear_object (&self->rtcp_socket);
  g_free (self->local_address);
  g_clear_pointer (&self->source, hail_media_source_unref);
  g_clear_pointer (&self->sink, hail_media_sink_unref);
  g_clear_pointer (&self->config, hail_media_stream_config_free);
  g_clear_error (&self->error);
  g_string_free (self->dtmf_queue, TRUE);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (hail_media_session_parent_class)->finalize (object);
}

static void
hail_media_session_class_init (HailMediaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_media_session_get_property;
  object_class->set_property = hail_media_session_set_property;
  object_class->dispose = hail_media_session_dispose;
  object_class->finalize = hail_media_session_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       HAIL_TYPE_MEDIA_SESSION_STATE, HAIL_MEDIA_SESSION_STATE_READY,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCAL_ADDRESS] =
    g_param_spec_string ("local-address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCAL_RTP_PORT] =
    g_param_spec_uint ("local-rtp-port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCAL_RTCP_PORT] =
    g_param_spec_uint ("local-rtcp-port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SOURCE] =
    g_param_spec_boxed ("source", NULL, NULL, HAIL_TYPE_MEDIA_SOURCE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SINK] =
    g_param_spec_boxed ("sink", NULL, NULL, HAIL_TYPE_MEDIA_SINK,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Linear RMS amplitude, 0 to 1, updated at most 10 times a second. */
  properties[PROP_INPUT_LEVEL] =
    g_param_spec_double ("input-level", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTPUT_LEVEL] =
    g_param_spec_double ("output-level", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PACKETS_SENT] =
    g_param_spec_uint64 ("packets-sent", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PACKETS_RECEIVED] =
    g_param_spec_uint64 ("packets-received", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* The jitter buffers' playout delay in milliseconds, adapted to how late
   * packets come (see hail-media-jitter.c); for diagnostics. */
  properties[PROP_JITTER_LATENCY] =
    g_param_spec_uint ("jitter-latency", NULL, NULL,
                       0, HAIL_MEDIA_JITTER_MAX_MS, HAIL_MEDIA_JITTER_MIN_MS,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ADAPTIVE_JITTER] =
    g_param_spec_boolean ("adaptive-jitter", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HailMediaSession::dtmf-received:
   * @digit: one of "0"-"9", "*", "#", "A"-"D"
   *
   * Emitted once per RFC 4733 event from the peer.
   */
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

/* HAIL_MEDIA_JITTER_STEADY_MS shortens the steady period after which the
 * delay comes down, for tests; 0 or unset keeps the default. */
static guint
steady_ms_from_env (void)
{
  const char *value = g_getenv ("HAIL_MEDIA_JITTER_STEADY_MS");
  guint64 ms = 0;

  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 0, 600000, &ms, NULL))
    g_debug ("Ignoring HAIL_MEDIA_JITTER_STEADY_MS=%s", value);
  return (guint) ms;
}

static void
hail_media_session_init (HailMediaSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->dtmf_queue = g_string_new (NULL);
  self->source = hail_media_source_new_silence ();
  self->sink = hail_media_sink_new_discard ();
  self->adaptive_jitter = TRUE;
  _hail_media_jitter_init (&self->jitter, steady_ms_from_env ());
}

/**
 * hail_media_session_new:
 * @local_address: the IP address literal to bind ("0.0.0.0", "::", or one
 *   interface's address)
 *
 * Binds an RTP/RTCP port pair on @local_address, ready to be written into
 * an offer or answer. The session sends silence and discards what it
 * receives until another source or sink is set. Its signals and
 * notifications come on the thread-default main context of this call.
 *
 * Returns: (transfer full): a new session, or %NULL with @error set.
 */
HailMediaSession *
hail_media_session_new (const char  *local_address,
                        GError     **error)
{
  g_autoptr(HailMediaSession) self = NULL;
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (local_address != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  address = g_inet_address_new_from_string (local_address);
  if (address == NULL)
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                   "“%s” is not an IP address", local_address);
      return NULL;
    }
  self = g_object_new (HAIL_TYPE_MEDIA_SESSION, NULL);
  self->local_address = g_inet_address_to_string (address);
  if (!_hail_media_ports_bind_pair (address, &self->rtp_socket, &self->rtcp_socket, error))
    return NULL;
  self->rtp_port = _hail_media_ports_get_port (self->rtp_socket);
  self->rtcp_port = _hail_media_ports_get_port (self->rtcp_socket);
  g_debug ("Media session bound to %s ports %u/%u", self->local_address, self->rtp_port,
           self->rtcp_port);
  return g_steal_pointer (&self);
}

/**
 * hail_media_session_get_local_address:
 *
 * Returns: (transfer none): the address the ports are bound on.
 */
const char *
hail_media_session_get_local_address (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), NULL);

  return self->local_address;
}

/**
 * hail_media_session_get_local_rtp_port:
 *
 * Returns: our RTP port, even, for the m= line.
 */
guint16
hail_media_session_get_local_rtp_port (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0);

  return self->rtp_port;
}

/**
 * hail_media_session_get_local_rtcp_port:
 *
 * Returns: our RTCP port, the RTP port + 1.
 */
guint16
hail_media_session_get_local_rtcp_port (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0);

  return self->rtcp_port;
}

/**
 * hail_media_session_get_source:
 *
 * Returns: (transfer none): what the session sends.
 */
HailMediaSource *
hail_media_session_get_source (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), NULL);

  return self->source;
}

/**
 * hail_media_session_set_source:
 *
 * Switches what the session sends. From one capture device to another, a
 * running stream moves to the new device as it runs (when the sound server
 * can); otherwise the pipeline is rebuilt on the same ports (the peer sees
 * a new SSRC). On failure the session fails.
 */
gboolean
hail_media_session_set_source (HailMediaSession  *self,
                               HailMediaSource   *source,
                               GError           **error)
{
  gboolean moved;

  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->source == source)
    return TRUE;
  moved = self->pipeline != NULL
          && _hail_media_pipeline_move_input (self->pipeline, self->source, source);
  hail_media_source_ref (source);
  g_clear_pointer (&self->source, hail_media_source_unref);
  self->source = source;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
  return moved || self->pipeline == NULL || rebuild (self, error);
}

/**
 * hail_media_session_get_sink:
 *
 * Returns: (transfer none): where the session plays what it receives.
 */
HailMediaSink *
hail_media_session_get_sink (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), NULL);

  return self->sink;
}

/**
 * hail_media_session_set_sink:
 *
 * Switches where received audio goes. From one playback device to another,
 * a running stream moves to the new device as it runs (when the sound
 * server can); otherwise the pipeline is rebuilt (a recording is finished
 * first). On failure the session fails.
 */
gboolean
hail_media_session_set_sink (HailMediaSession  *self,
                             HailMediaSink     *sink,
                             GError           **error)
{
  gboolean moved;

  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->sink == sink)
    return TRUE;
  moved = self->pipeline != NULL
          && _hail_media_pipeline_move_output (self->pipeline, self->sink, sink);
  hail_media_sink_ref (sink);
  g_clear_pointer (&self->sink, hail_media_sink_unref);
  self->sink = sink;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINK]);
  return moved || self->pipeline == NULL || rebuild (self, error);
}

/**
 * hail_media_session_start:
 * @config: the negotiated stream
 *
 * Starts sending and receiving as @config says. A failed session may be
 * started again.
 */
gboolean
hail_media_session_start (HailMediaSession             *self,
                          const HailMediaStreamConfig  *config,
                          GError                      **error)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == HAIL_MEDIA_SESSION_STATE_RUNNING)
    {
      g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_STATE,
                           "The media session is already running");
      return FALSE;
    }
  if (!check_config (self, config, error) || !run (self, config, error))
    return FALSE;
  set_config (self, config);
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  g_info ("Media running: %s/%u to %s:%u", hail_media_codec_to_encoding_name (config->codec),
          config->payload_type, config->remote_address, config->remote_rtp_port);
  set_state (self, HAIL_MEDIA_SESSION_STATE_RUNNING);
  return TRUE;
}

/**
 * hail_media_session_update:
 * @config: the renegotiated stream
 *
 * Applies a new offer/answer. A change of direction alone (hold, resume)
 * keeps the pipeline; anything else rebuilds it on the same ports. When the
 * rebuild fails the session is failed.
 */
gboolean
hail_media_session_update (HailMediaSession             *self,
                           const HailMediaStreamConfig  *config,
                           GError                      **error)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state != HAIL_MEDIA_SESSION_STATE_RUNNING)
    {
      g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_STATE,
                           "The media session is not running");
      return FALSE;
    }
  if (!check_config (self, config, error))
    return FALSE;
  if (same_stream (self->config, config))
    {
      g_debug ("Media direction %d -> %d", self->config->direction, config->direction);
      _hail_media_pipeline_set_direction (self->pipeline, config->direction);
      set_config (self, config);
      /* No audio reaches the level element any more, so it stops posting. */
      if (!(config->direction & HAIL_MEDIA_DIRECTION_RECVONLY))
        set_level (self, &self->output_level, 0.0, properties[PROP_OUTPUT_LEVEL]);
      return TRUE;
    }
  set_config (self, config);
  return rebuild (self, error);
}

/**
 * hail_media_session_stop:
 *
 * Stops the audio at once, finishing a recording (bounded to a few
 * seconds in the worst case). The ports stay bound for a later start.
 */
void
hail_media_session_stop (HailMediaSession *self)
{
  g_return_if_fail (HAIL_IS_MEDIA_SESSION (self));

  teardown (self);
  if (self->state == HAIL_MEDIA_SESSION_STATE_RUNNING)
    set_state (self, HAIL_MEDIA_SESSION_STATE_READY);
}

/**
 * hail_media_session_get_config:
 *
 * Returns: (transfer none) (nullable): the stream last started or updated.
 */
const HailMediaStreamConfig *
hail_media_session_get_config (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), NULL);

  return self->config;
}

HailMediaSessionState
hail_media_session_get_state (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), HAIL_MEDIA_SESSION_STATE_READY);

  return self->state;
}

/**
 * hail_media_session_get_error:
 *
 * Returns: (transfer none) (nullable): why the session failed.
 */
const GError *
hail_media_session_get_error (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), NULL);

  return self->error;
}

/**
 * hail_media_session_send_dtmf:
 * @digits: characters from "0123456789*#ABCD" (a-d too)
 *
 * Queues @digits as RFC 4733 events, sent one after the other; with a
 * device sink they are also played locally.
 */
gboolean
hail_media_session_send_dtmf (HailMediaSession  *self,
                              const char        *digits,
                              GError           **error)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->pipeline == NULL || self->config->telephone_event_pt < 0)
    {
      g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_STATE,
                           self->pipeline == NULL ? "The media session is not running"
                                                  : "The peer takes no telephone-events");
      return FALSE;
    }
  for (const char *p = digits; *p != '\0'; p++)
    {
      if (strchr (dtmf_digits, g_ascii_toupper (*p)) == NULL)
        {
          g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                       "“%c” is not a DTMF digit", g_ascii_isprint (*p) ? *p : '?');
          return FALSE;
        }
    }
  if (self->dtmf_queue->len + strlen (digits) > HAIL_MEDIA_DTMF_MAX_QUEUED)
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                   "More than %d DTMF digits queued", HAIL_MEDIA_DTMF_MAX_QUEUED);
      return FALSE;
    }
  for (const char *p = digits; *p != '\0'; p++)
    g_string_append_c (self->dtmf_queue, g_ascii_toupper (*p));
  if (self->dtmf_timer == NULL)
    dtmf_step_cb (self);
  return TRUE;
}

gboolean
hail_media_session_get_muted (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), FALSE);

  return self->muted;
}

/**
 * hail_media_session_set_muted:
 *
 * Sends silence instead of the source (RTP keeps flowing).
 */
void
hail_media_session_set_muted (HailMediaSession *self,
                              gboolean          muted)
{
  g_return_if_fail (HAIL_IS_MEDIA_SESSION (self));

  if (self->muted == !!muted)
    return;
  self->muted = !!muted;
  if (self->pipeline != NULL)
    _hail_media_pipeline_set_muted (self->pipeline, self->muted);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

/**
 * hail_media_session_get_input_level:
 *
 * Returns: the RMS amplitude (0-1) of what we capture, before mute.
 */
double
hail_media_session_get_input_level (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0.0);

  return self->input_level;
}

/**
 * hail_media_session_get_output_level:
 *
 * Returns: the RMS amplitude (0-1) of what we play.
 */
double
hail_media_session_get_output_level (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0.0);

  return self->output_level;
}

/**
 * hail_media_session_get_packets_sent:
 *
 * Returns: RTP packets sent since the session was created (audio and DTMF).
 */
guint64
hail_media_session_get_packets_sent (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0);

  update_counters (self);
  return self->packets_sent;
}

/**
 * hail_media_session_get_packets_received:
 *
 * Returns: RTP packets received and accepted (right payload type, SRTP
 * authenticated) since the session was created.
 */
guint64
hail_media_session_get_packets_received (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0);

  update_counters (self);
  return self->packets_received;
}

/**
 * hail_media_session_get_jitter_latency_ms:
 *
 * Returns: how long the jitter buffers hold received packets, in
 *   milliseconds: HAIL_MEDIA_JITTER_MIN_MS on a steady network, up to
 *   HAIL_MEDIA_JITTER_MAX_MS while packets come late.
 */
guint
hail_media_session_get_jitter_latency_ms (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0);

  return self->jitter.latency_ms;
}

/**
 * hail_media_session_get_packets_late:
 *
 * Returns: received RTP packets dropped since the session was created
 *   because they came after their playout time.
 */
guint64
hail_media_session_get_packets_late (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0);

  return jitter_stats (self).late;
}

/**
 * hail_media_session_get_packets_lost:
 *
 * Returns: RTP packets the jitter buffers gave up waiting for since the
 *   session was created (lost on the way, or late).
 */
guint64
hail_media_session_get_packets_lost (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), 0);

  return jitter_stats (self).lost;
}

gboolean
hail_media_session_get_adaptive_jitter (HailMediaSession *self)
{
  g_return_val_if_fail (HAIL_IS_MEDIA_SESSION (self), FALSE);

  return self->adaptive_jitter;
}

/**
 * hail_media_session_set_adaptive_jitter:
 * @adaptive: whether the playout delay follows the network (the default)
 *
 * Off, the jitter buffers keep HAIL_MEDIA_JITTER_MIN_MS whatever comes
 * late: for comparisons and for peers on a network known to be steady.
 */
void
hail_media_session_set_adaptive_jitter (HailMediaSession *self,
                                        gboolean          adaptive)
{
  guint old;

  g_return_if_fail (HAIL_IS_MEDIA_SESSION (self));

  if (self->adaptive_jitter == !!adaptive)
    return;
  self->adaptive_jitter = !!adaptive;
  old = self->jitter.latency_ms;
  _hail_media_jitter_init (&self->jitter, steady_ms_from_env ());
  if (self->pipeline != NULL)
    {
      HailMediaJitterStats stats;

      /* Late packets so far are not news for the next check. */
      _hail_media_pipeline_get_jitter_stats (self->pipeline, &stats);
      self->jitter.late = stats.late;
      _hail_media_pipeline_set_latency (self->pipeline, self->jitter.latency_ms);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADAPTIVE_JITTER]);
  if (self->jitter.latency_ms != old)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JITTER_LATENCY]);
}
