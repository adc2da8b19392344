/* hail-call.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-call.h"

#include "hail-media-error.h"
#include "hail-sdp-negotiation.h"
#include "hail-sip-error.h"
#include "hail-sip-resolver.h"

enum {
  PROP_0,
  PROP_STATE,
  PROP_HELD,
  PROP_DIRECTION,
  N_PROPS
};

enum {
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_TRANSFER_REQUESTED,
  N_SIGNALS
};

struct _HailCall
{
  GObject parent_instance;

  /* Owned references. */
  HailAccount        *account;
  HailSipSession     *session;
  HailMediaSession   *media;
  HailSdpNegotiation *negotiation;
  GBytes             *answer;          /* Incoming: the answer we will send. */
  GError             *media_error;
  HailMediaSource    *pending_source;  /* Until the media session exists. */
  HailMediaSink      *pending_sink;
  GStrv               codecs;
  char               *media_address;
  GTask              *hold_task;       /* The hold or resume re-INVITE in flight. */
  GQueue              hold_queue;      /* GTask *: asked for while one was in flight. */

  /* State. */
  char               *remote_uri;
  char               *codec;
  char               *remote_media;
  guint64             packets_sent;
  guint64             packets_received;
  gboolean            outgoing;
  gboolean            held;
  HailSdpDirection    direction;        /* Of the agreed stream, ours. */
  gboolean            direction_known;
  gboolean            media_started;
  gboolean            srtp;
  gboolean            secure;
};

G_DEFINE_FINAL_TYPE (HailCall, hail_call, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Our codecs by preference, narrowed and ordered by @names; RFC 4733
 * events always come along. */
static gboolean
apply_codecs (HailSdpNegotiation  *negotiation,
              const char * const  *names,
              GError             **error)
{
  g_autoptr(GArray) chosen = g_array_new (FALSE, FALSE, sizeof (HailSdpCodec));
  const HailSdpCodec *defaults;
  guint n = 0;

  if (names == NULL || names[0] == NULL)
    return TRUE;
  defaults = hail_sdp_codecs_default (&n);
  for (guint i = 0; names[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < n; j++)
        if (g_ascii_strcasecmp (names[i], defaults[j].encoding) == 0
            && g_ascii_strcasecmp (names[i], "telephone-event") != 0)
          {
            g_array_append_val (chosen, defaults[j]);
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                       "Unknown codec “%s” (Hail has opus, G722, PCMU and PCMA)", names[i]);
          return FALSE;
        }
    }
  for (guint j = 0; j < n; j++)
    if (g_ascii_strcasecmp (defaults[j].encoding, "telephone-event") == 0)
      g_array_append_val (chosen, defaults[j]);
  hail_sdp_negotiation_set_codecs (negotiation, (const HailSdpCodec *) chosen->data, chosen->len);
  return TRUE;
}

static HailMediaStreamConfig *
stream_to_config (const HailSdpStream  *stream,
                  const char           *local_address,
                  GError              **error)
{
  g_autoptr(HailMediaStreamConfig) config = NULL;
  HailMediaCodec codec;

  if (!hail_media_codec_from_encoding_name (stream->codec, &codec))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "The negotiated codec %s has no media support", stream->codec);
      return NULL;
    }
  config = hail_media_stream_config_new (codec, stream->payload_type, stream->remote_address,
                                         stream->remote_port);
  config->clock_rate = stream->clock_rate;
  config->channels = stream->channels;
  config->fmtp = g_strdup (stream->fmtp);
  config->ptime = stream->ptime;
  config->telephone_event_pt = stream->telephone_event_pt;
  config->remote_rtcp_port = stream->rtcp_mux ? stream->remote_port : stream->remote_rtcp_port;
  config->local_address = g_strdup (local_address);
  /* HailSdpDirection and HailMediaDirection share their bit values. */
  config->direction = (HailMediaDirection) stream->direction;
  if (stream->srtp_suite != HAIL_SDP_CRYPTO_SUITE_UNKNOWN
      && !hail_media_stream_config_set_srtp (config,
                                             hail_sdp_crypto_suite_to_string (stream->srtp_suite),
                                             stream->srtp_local_key, stream->srtp_remote_key,
                                             error))
    return NULL;
  if (!hail_media_stream_config_validate (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

static void
media_failed (HailCall *self,
              GError   *error)
{
  g_debug ("Media of call %s failed: %s", hail_call_get_call_id (self), error->message);
  g_clear_error (&self->media_error);
  self->media_error = error;
  if (hail_sip_session_get_state (self->session) != HAIL_SIP_SESSION_STATE_TERMINATED)
    hail_sip_session_hangup_async (self->session, NULL, NULL, NULL);
}

/* Starts or updates the media with what was negotiated. */
static void
apply_media (HailCall *self)
{
  const GPtrArray *streams = hail_sdp_negotiation_get_streams (self->negotiation);
  g_autoptr(HailMediaStreamConfig) config = NULL;
  const HailSdpStream *stream = NULL;
  GError *error = NULL;
  gboolean ok;

  for (guint i = 0; streams != NULL && i < streams->len && stream == NULL; i++)
    {
      const HailSdpStream *s = g_ptr_array_index (streams, i);

      if (s->remote_port != 0)
        stream = s;
    }
  if (stream == NULL)
    {
      media_failed (self, g_error_new_literal (HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                                               "No audio stream was agreed"));
      return;
    }
  config = stream_to_config (stream, hail_media_session_get_local_address (self->media), &error);
  if (config == NULL)
    {
      media_failed (self, error);
      return;
    }
  g_free (self->codec);
  self->codec = g_strdup (stream->codec);
  self->srtp = config->srtp_suite != HAIL_MEDIA_SRTP_SUITE_NONE;
  g_free (self->remote_media);
  self->remote_media = strchr (stream->remote_address, ':') != NULL
                       ? g_strdup_printf ("[%s]:%u", stream->remote_address, stream->remote_port)
                       : g_strdup_printf ("%s:%u", stream->remote_address, stream->remote_port);
  if (hail_media_session_get_state (self->media) == HAIL_MEDIA_SESSION_STATE_RUNNING)
    ok = hail_media_session_update (self->media, config, &error);
  else
    ok = hail_media_session_start (self->media, config, &error);
  if (!ok)
    {
      media_failed (self, error);
      return;
    }
  self->media_started = TRUE;
  if (!self->direction_known || stream->direction != self->direction)
    {
      self->direction_known = TRUE;
      self->direction = stream->direction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTION]);
    }
}

static void
remote_answer_cb (HailSipSession *session,
                  GBytes         *bytes,
                  HailCall       *self)
{
  g_autoptr(HailSdpSession) answer = NULL;
  GError *error = NULL;

  answer = hail_sdp_session_parse_bytes (bytes, &error);
  if (answer == NULL || !hail_sdp_negotiation_process_answer (self->negotiation, answer, &error))
    {
      g_prefix_error (&error, "The peer's answer is not usable: ");
      media_failed (self, error);
      return;
    }
  apply_media (self);
}

static GBytes *
remote_offer_cb (HailSipSession *session,
                 GBytes         *bytes,
                 HailCall       *self)
{
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(HailSdpSession) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (self->media == NULL || self->negotiation == NULL)
    {
      /* An incoming call not answered yet has no media to offer or
       * change; the session refuses such an offer first (RFC 3311 §5.2). */
      g_debug ("No media yet for an offer in call %s", hail_call_get_call_id (self));
      return NULL;
    }
  if (bytes == NULL)
    {
      /* An offerless re-INVITE: we offer, the ACK answers. */
      offer = hail_sdp_negotiation_create_offer (self->negotiation, &error);
      if (offer == NULL)
        {
          g_debug ("Cannot offer: %s", error->message);
          return NULL;
        }
      return hail_sdp_session_to_bytes (offer);
    }
  offer = hail_sdp_session_parse_bytes (bytes, &error);
  if (offer != NULL)
    answer = hail_sdp_negotiation_create_answer (self->negotiation, offer, &error);
  if (answer == NULL)
    {
      g_debug ("Refusing the peer's new offer: %s", error->message);
      return NULL;
    }
  apply_media (self);
  return hail_sdp_session_to_bytes (answer);
}

static void
dtmf_received_cb (HailMediaSession *media,
                  const char       *digit,
                  HailCall         *self)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, digit);
}

static void
session_state_cb (HailSipSession *session,
                  GParamSpec     *pspec,
                  HailCall       *self)
{
  if (hail_sip_session_get_state (session) == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      /* Counters first: stopping tears the pipeline down. */
      self->packets_sent = hail_call_get_packets_sent (self);
      self->packets_received = hail_call_get_packets_received (self);
      if (self->media != NULL)
        hail_media_session_stop (self->media);
      self->media_started = FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
hail_call_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HailCall *self = HAIL_CALL (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, hail_call_get_state (self));
      break;
    case PROP_HELD:
      g_value_set_boolean (value, self->held);
      break;
    case PROP_DIRECTION:
      g_value_set_string (value, hail_call_get_direction (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_call_dispose (GObject *object)
{
  HailCall *self = HAIL_CALL (object);

  if (self->media != NULL)
    hail_media_session_stop (self->media);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->media);
  g_clear_object (&self->negotiation);

  G_OBJECT_CLASS (hail_call_parent_class)->dispose (object);
}

static void
hail_call_finalize (GObject *object)
{
  HailCall *self = HAIL_CALL (object);

  g_clear_object (&self->account);
  g_clear_pointer (&self->answer, g_bytes_unref);
  g_clear_error (&self->media_error);
  g_clear_pointer (&self->pending_source, hail_media_source_unref);
  g_clear_pointer (&self->pending_sink, hail_media_sink_unref);
  g_strfreev (self->codecs);
  g_free (self->media_address);
  g_free (self->remote_uri);
  g_free (self->codec);
  g_free (self->remote_media);

  G_OBJECT_CLASS (hail_call_parent_class)->finalize (object);
}

static void
hail_call_class_init (HailCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_call_get_property;
  object_class->dispose = hail_call_dispose;
  object_class->finalize = hail_call_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_SIP_SESSION_STATE,
                       HAIL_SIP_SESSION_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HELD] =
    g_param_spec_boolean ("held", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DIRECTION] =
    g_param_spec_string ("direction", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_TRANSFER_REQUESTED] =
    g_signal_new ("transfer-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hail_call_init (HailCall *self)
{
}

/* A negotiation for media on our address and @port, with our codecs and
 * SRTP policy. */
static HailSdpNegotiation *
new_negotiation (HailCall  *self,
                 guint16    port,
                 GError   **error)
{
  g_autoptr(HailSdpNegotiation) negotiation = NULL;
  HailSdpSrtpPolicy policy = HAIL_SDP_SRTP_NONE;

  negotiation = hail_sdp_negotiation_new (self->media_address, port);
  if (!apply_codecs (negotiation, (const char * const *) self->codecs, error))
    return NULL;
  if (hail_account_get_srtp_required (self->account))
    policy = HAIL_SDP_SRTP_REQUIRED;
  else if (self->secure)
    policy = HAIL_SDP_SRTP_OPTIONAL;
  hail_sdp_negotiation_set_srtp_policy (negotiation, policy);
  return g_steal_pointer (&negotiation);
}

/* The media session (its ports) and the negotiation on them. An incoming
 * call gets them only when answered: a call that only rings binds no
 * ports and starts no GStreamer. */
static gboolean
ensure_media (HailCall  *self,
              GError   **error)
{
  if (self->media != NULL)
    return TRUE;
  self->media = hail_media_session_new (self->media_address, error);
  if (self->media == NULL)
    return FALSE;
  g_signal_connect_object (self->media, "dtmf-received", G_CALLBACK (dtmf_received_cb), self, 0);
  self->negotiation = new_negotiation (self, hail_media_session_get_local_rtp_port (self->media),
                                       error);
  if (self->negotiation == NULL)
    return FALSE;
  if (self->pending_source != NULL
      && !hail_media_session_set_source (self->media, self->pending_source, error))
    return FALSE;
  if (self->pending_sink != NULL
      && !hail_media_session_set_sink (self->media, self->pending_sink, error))
    return FALSE;
  g_clear_pointer (&self->pending_source, hail_media_source_unref);
  g_clear_pointer (&self->pending_sink, hail_media_sink_unref);
  return TRUE;
}

static void
refer_cb (HailSipSession *session,
          const char     *target,
          HailCall       *self)
{
  g_signal_emit (self, signals[SIGNAL_TRANSFER_REQUESTED], 0, target);
}

static void
connect_session (HailCall *self)
{
  g_signal_connect (self->session, "refer", G_CALLBACK (refer_cb), self);
  g_signal_connect (self->session, "notify::state", G_CALLBACK (session_state_cb), self);
  g_signal_connect (self->session, "remote-answer", G_CALLBACK (remote_answer_cb), self);
  g_signal_connect (self->session, "remote-offer", G_CALLBACK (remote_offer_cb), self);
}

HailCall *
hail_call_new_outgoing (HailAccount         *account,
                        const char          *uri,
                        const char * const  *codecs,
                        GError             **error)
{
  g_autoptr(HailCall) self = NULL;
  g_autoptr(HailSipUri) remote = NULL;
  HailSipUri *proxy;
  gint kind;
  gboolean secure;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  remote = hail_account_parse_peer (uri, error);
  if (remote == NULL)
    return NULL;
  proxy = hail_account_get_proxy (account);
  kind = hail_account_get_request_transport (account);
  secure = kind == HAIL_SIP_TRANSPORT_KIND_TLS
           || hail_sip_uri_get_scheme (remote) == HAIL_SIP_URI_SCHEME_SIPS;

  self = g_object_new (HAIL_TYPE_CALL, NULL);
  self->account = g_object_ref (account);
  self->outgoing = TRUE;
  self->remote_uri = g_strdup (hail_sip_uri_to_string (remote));
  self->media_address =
    hail_account_dup_local_address (account,
                                    hail_sip_uri_get_host (proxy != NULL ? proxy : remote));
  self->secure = secure;
  self->codecs = g_strdupv ((char **) codecs);
  if (!ensure_media (self, error))
    return NULL;
  self->session = hail_sip_session_new_outgoing (hail_account_get_stack (account),
                                                 hail_account_get_auth (account),
                                                 hail_account_get_aor (account), remote, proxy,
                                                 kind);
  connect_session (self);
  return g_steal_pointer (&self);
}

HailCall *
hail_call_new_incoming (HailAccount               *account,
                        HailSipServerTransaction  *txn,
                        HailSipMessage            *request,
                        const char * const        *codecs,
                        guint                     *status,
                        GError                   **error)
{
  g_autoptr(HailCall) self = NULL;
  g_autofree char *host = NULL;
  GBytes *offer_bytes;
  HailSipVia via;
  gboolean secure = FALSE;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (txn), NULL);
  g_return_val_if_fail (request != NULL, NULL);

  if (status != NULL)
    *status = 400;
  self = g_object_new (HAIL_TYPE_CALL, NULL);
  self->account = g_object_ref (account);
  self->session = hail_sip_session_new_incoming (hail_account_get_stack (account), txn, request,
                                                 hail_account_get_aor (account), error);
  if (self->session == NULL)
    return NULL;
  if (!hail_sip_session_check_timer (self->session, error))
    {
      if (status != NULL)
        *status = 0;
      return NULL;
    }
  self->remote_uri = g_strdup (hail_sip_uri_to_string (hail_sip_session_get_remote_uri (self->session)));
  if (hail_sip_message_get_via (request, 0, &via))
    {
      host = hail_sip_span_dup (hail_sip_span_present (via.received) ? via.received : via.host);
      secure = hail_sip_span_equal_ascii_case (via.transport, "TLS");
    }
  self->media_address = hail_account_dup_local_address (account, host);
  self->secure = secure;
  self->codecs = g_strdupv ((char **) codecs);
  offer_bytes = hail_sip_session_get_remote_offer (self->session);
  if (offer_bytes != NULL)
    {
      g_autoptr(HailSdpSession) offer = hail_sdp_session_parse_bytes (offer_bytes, error);
      g_autoptr(HailSdpSession) answer = NULL;
      g_autoptr(HailSdpNegotiation) probe = NULL;

      if (offer == NULL)
        {
          g_prefix_error (error, "Malformed SDP offer: ");
          return NULL;
        }
      /* Refuse an offer we cannot meet now (488), not once answered; the
       * real answer is made on our ports then (port 9, discard, is never
       * sent). */
      probe = new_negotiation (self, 9, error);
      if (probe != NULL)
        answer = hail_sdp_negotiation_create_answer (probe, offer, error);
      if (answer == NULL)
        {
          if (status != NULL)
            *status = probe != NULL ? hail_sdp_negotiation_error_to_status (*error) : 500;
          return NULL;
        }
    }
  connect_session (self);
  return g_steal_pointer (&self);
}

HailAccount *
hail_call_get_account (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->account;
}

HailSipSession *
hail_call_get_session (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->session;
}

HailMediaSession *
hail_call_get_media (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->media;
}

gboolean
hail_call_get_outgoing (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  return self->outgoing;
}

HailSipSessionState
hail_call_get_state (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), HAIL_SIP_SESSION_STATE_TERMINATED);
  return hail_sip_session_get_state (self->session);
}

guint
hail_call_get_status (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), 0);
  return hail_sip_session_get_status (self->session);
}

const char *
hail_call_get_reason (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  if (self->media_error != NULL)
    return self->media_error->message;
  return hail_sip_session_get_reason (self->session);
}

const char *
hail_call_get_call_id (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return hail_sip_session_get_call_id (self->session);
}

const char *
hail_call_get_remote_uri (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->remote_uri;
}

const char *
hail_call_get_direction (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->direction_known ? hail_sdp_direction_to_string (self->direction) : NULL;
}

gboolean
hail_call_get_held (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  return self->held;
}

gboolean
hail_call_get_held_requested (HailCall *self)
{
  GTask *last;

  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);

  last = g_queue_peek_tail (&self->hold_queue);
  if (last == NULL)
    last = self->hold_task;
  return last != NULL ? GPOINTER_TO_INT (g_task_get_task_data (last)) : self->held;
}

const char *
hail_call_get_codec (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->codec;
}

const char *
hail_call_get_remote_media (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->remote_media;
}

guint64
hail_call_get_packets_sent (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), 0);
  if (self->media_started)
    return MAX (self->packets_sent, hail_media_session_get_packets_sent (self->media));
  return self->packets_sent;
}

guint64
hail_call_get_packets_received (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), 0);
  if (self->media_started)
    return MAX (self->packets_received, hail_media_session_get_packets_received (self->media));
  return self->packets_received;
}

gboolean
hail_call_get_srtp (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  return self->srtp;
}

const GError *
hail_call_get_media_error (HailCall *self)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), NULL);
  return self->media_error;
}

gboolean
hail_call_set_source (HailCall         *self,
                      HailMediaSource  *source,
                      GError          **error)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  g_return_val_if_fail (source != NULL, FALSE);

  if (self->media == NULL)
    {
      g_clear_pointer (&self->pending_source, hail_media_source_unref);
      self->pending_source = hail_media_source_ref (source);
      return TRUE;
    }
  return hail_media_session_set_source (self->media, source, error);
}

gboolean
hail_call_set_sink (HailCall       *self,
                    HailMediaSink  *sink,
                    GError        **error)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  if (self->media == NULL)
    {
      g_clear_pointer (&self->pending_sink, hail_media_sink_unref);
      self->pending_sink = hail_media_sink_ref (sink);
      return TRUE;
    }
  return hail_media_session_set_sink (self->media, sink, error);
}

static void
invite_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_sip_session_invite_finish (HAIL_SIP_SESSION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
hail_call_start_async (HailCall            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  g_return_if_fail (HAIL_IS_CALL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_call_start_async);
  offer = hail_sdp_negotiation_create_offer (self->negotiation, &error);
  if (offer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bytes = hail_sdp_session_to_bytes (offer);
  hail_sip_session_invite_async (self->session, bytes, cancellable, invite_cb,
                                 g_steal_pointer (&task));
}

gboolean
hail_call_start_finish (HailCall      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
hail_call_ring (HailCall  *self,
                GError   **error)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  return hail_sip_session_ring (self->session, NULL, error);
}

gboolean
hail_call_answer (HailCall  *self,
                  GError   **error)
{
  GBytes *offer_bytes;
  g_autoptr(HailSdpSession) ours = NULL;

  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  g_return_val_if_fail (!self->outgoing, FALSE);

  if (!ensure_media (self, error))
    return FALSE;
  offer_bytes = hail_sip_session_get_remote_offer (self->session);
  if (self->answer == NULL)
    {
      if (offer_bytes != NULL)
        {
          g_autoptr(HailSdpSession) offer = hail_sdp_session_parse_bytes (offer_bytes, error);

          if (offer == NULL)
            return FALSE;
          ours = hail_sdp_negotiation_create_answer (self->negotiation, offer, error);
        }
      else
        {
          /* RFC 3264 §4: no offer in the INVITE: ours goes in the 200. */
          ours = hail_sdp_negotiation_create_offer (self->negotiation, error);
        }
      if (ours == NULL)
        return FALSE;
      self->answer = hail_sdp_session_to_bytes (ours);
    }
  if (!hail_sip_session_accept (self->session, self->answer, error))
    return FALSE;
  /* With an offer in the INVITE the media can start now; otherwise the
   * ACK's answer starts it. */
  if (offer_bytes != NULL)
    apply_media (self);
  return TRUE;
}

gboolean
hail_call_reject (HailCall  *self,
                  guint      status,
                  GError   **error)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  return hail_sip_session_reject (self->session, status, error);
}

static void
hangup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_sip_session_hangup_finish (HAIL_SIP_SESSION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
hail_call_hangup_async (HailCall            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_CALL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_call_hangup_async);
  hail_sip_session_hangup_async (self->session, cancellable, hangup_cb, task);
}

gboolean
hail_call_hangup_finish (HailCall      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void start_hold (HailCall *self,
                        GTask    *task);

/* One re-INVITE at a time (RFC 3261 §14.1): what was asked for meanwhile
 * runs in order once the one in flight is answered, so a resume asked
 * for while the hold is still on its way is not lost. A request that
 * the call already meets by then completes at once. */
static void
next_hold (HailCall *self)
{
  GTask *task;

  while (self->hold_task == NULL && (task = g_queue_pop_head (&self->hold_queue)) != NULL)
    {
      gboolean held = GPOINTER_TO_INT (g_task_get_task_data (task));

      if (held == self->held)
        {
          g_task_return_boolean (task, TRUE);
          g_object_unref (task);
          continue;
        }
      start_hold (self, task);
    }
}

static void
reinvite_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailCall *self = g_task_get_source_object (task);
  gboolean held = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(GBytes) answer = NULL;
  GError *error = NULL;

  self->hold_task = NULL;
  /* The answer itself went through "remote-answer". */
  answer = hail_sip_session_reinvite_finish (HAIL_SIP_SESSION (source), result, &error);
  if (answer == NULL)
    {
      hail_sdp_negotiation_rollback (self->negotiation);
      hail_sdp_negotiation_set_hold (self->negotiation, self->held);
    }
  else
    {
      self->held = held;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
    }
  /* Before returning: a caller asking again from its callback queues
   * behind what is already waiting. */
  next_hold (self);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Sends the re-INVITE for @task (owned), or fails it at once. */
static void
start_hold (HailCall *self,
            GTask    *task)
{
  gboolean held = GPOINTER_TO_INT (g_task_get_task_data (task));
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  hail_sdp_negotiation_set_hold (self->negotiation, held);
  offer = hail_sdp_negotiation_create_offer (self->negotiation, &error);
  if (offer == NULL)
    {
      hail_sdp_negotiation_set_hold (self->negotiation, self->held);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  bytes = hail_sdp_session_to_bytes (offer);
  self->hold_task = task;
  hail_sip_session_reinvite_async (self->session, bytes, g_task_get_cancellable (task),
                                   reinvite_cb, task);
}

void
hail_call_set_held_async (HailCall            *self,
                          gboolean             held,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_CALL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_call_set_held_async);
  g_task_set_task_data (task, GINT_TO_POINTER (!!held), NULL);
  if (self->hold_task != NULL)
    g_queue_push_tail (&self->hold_queue, task);
  else
    start_hold (self, task);
}

gboolean
hail_call_set_held_finish (HailCall      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
transfer_hangup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_sip_session_hangup_finish (HAIL_SIP_SESSION (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
refer_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hail_sip_session_refer_finish (HAIL_SIP_SESSION (source), result, &error))
    {
      /* The call stays as it was. */
      g_task_return_error (task, error);
      return;
    }
  /* RFC 5589 §6: the transferor leaves once the transfer succeeded. */
  hail_sip_session_hangup_async (HAIL_SIP_SESSION (source), NULL, transfer_hangup_cb,
                                 g_steal_pointer (&task));
}

void
hail_call_transfer_async (HailCall            *self,
                          const char          *target,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_CALL (self));
  g_return_if_fail (target != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_call_transfer_async);
  hail_sip_session_refer_async (self->session, target, cancellable, refer_done_cb, task);
}

gboolean
hail_call_transfer_finish (HailCall      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hail_call_report_transfer (HailCall *self,
                           guint     status)
{
  g_return_if_fail (HAIL_IS_CALL (self));
  hail_sip_session_notify_refer (self->session, status);
}

gboolean
hail_call_send_dtmf (HailCall    *self,
                     const char  *digits,
                     GError     **error)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  if (!self->media_started)
    {
      g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                           "DTMF needs an established call");
      return FALSE;
    }
  return hail_media_session_send_dtmf (self->media, digits, error);
}

gboolean
hail_call_handle_request (HailCall                 *self,
                          HailSipServerTransaction *txn,
                          HailSipMessage           *request)
{
  g_return_val_if_fail (HAIL_IS_CALL (self), FALSE);
  return hail_sip_session_handle_request (self->session, txn, request);
}
