/* hail-core-call.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A HailCall seen as a HailCallView. The HailCall owns the SIP session
 * and, once the call is answered, the media session; this object only
 * translates: states into the window's five, the media session's levels
 * into properties, the window's device ids into media sources and sinks,
 * and the final status into a sentence. It also writes the call's row in
 * the history as the call goes: added when it starts, answered, ended.
 */
#include "config.h"

#include "hail-core-call.h"

#include "hail-media-tone.h"
#include "hail-store-call.h"

#include <glib/gi18n.h>

#include <string.h>

enum {
  PROP_0,
  PROP_ID,
  PROP_PEER,
  PROP_PEER_NAME,
  PROP_STATE,
  PROP_DURATION,
  PROP_MUTED,
  PROP_HELD,
  PROP_INPUT_LEVEL,
  PROP_OUTPUT_LEVEL,
  PROP_INPUT_DEVICE,
  PROP_OUTPUT_DEVICE,
  PROP_END_REASON,
  N_PROPS
};

struct _HailCoreCall {
  GObject parent_instance;

  /* owned references */
  HailCall *call;
  HailCallManager *manager;
  HailStore *store;               /* NULL: no history */
  HailMediaDevices *devices;      /* NULL: default devices only */
  HailMediaSession *media;        /* the call's, while it runs */
  HailMediaTone *tone;            /* ring or ring-back while it sounds */
  GCancellable *cancellable;

  /* state */
  char *peer_name;
  char *end_reason;
  char *input_device;
  char *output_device;
  HailCallViewState state;
  gint64 answered_at;             /* monotonic µs, 0 until answered */
  guint duration;
  guint tick_id;
  gboolean muted;
  gboolean ring;                  /* FALSE: the ring tone is "silent" */
  gboolean echo_cancellation;
  gboolean hung_up_here;
  /* History: the row id arrives after the call may already have moved on,
   * so what happened meanwhile waits here. */
  gint64 store_id;
  gboolean store_adding;
  gboolean store_answer_pending;
  gboolean store_end_pending;
};

static void call_view_iface_init (HailCallViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailCoreCall, hail_core_call, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_CALL_VIEW, call_view_iface_init))

static GParamSpec *properties[N_PROPS];

/* The interface's names, by PROP_ id, to find the overridden specs. */
static const char * const property_names[N_PROPS] = {
  NULL, "id", "peer", "peer-name", "state", "duration", "muted", "held", "input-level",
  "output-level", "input-device", "output-device", "end-reason",
};

/* ---- history ---- */

static void
answer_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_update_finish (HAIL_STORE (source), result, &error))
    g_debug ("The call's answer is not in the history: %s", error->message);
}

static void
end_stored_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStoreCall) ended = hail_store_end_call_finish (HAIL_STORE (source), result,
                                                               &error);

  if (ended == NULL)
    g_debug ("The call's end is not in the history: %s", error->message);
}

static void
store_answer (HailCoreCall *self)
{
  hail_store_answer_call_async (self->store, self->store_id, NULL, answer_stored_cb, NULL);
}

static void
store_end (HailCoreCall *self)
{
  hail_store_end_call_async (self->store, self->store_id, hail_call_get_status (self->call),
                             self->end_reason, NULL, end_stored_cb, NULL);
}

static void
store_added_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HailCoreCall) self = user_data;
  g_autoptr(GError) error = NULL;

  self->store_adding = FALSE;
  self->store_id = hail_store_add_call_finish (HAIL_STORE (source), result, &error);
  if (self->store_id <= 0)
    {
      g_debug ("The call is not in the history: %s", error ? error->message : "no row");
      return;
    }
  /* The store runs its jobs in order: answered is recorded before ended. */
  if (self->store_answer_pending)
    store_answer (self);
  if (self->store_end_pending)
    store_end (self);
}

static void
store_add (HailCoreCall *self)
{
  g_autoptr(HailStoreCall) draft = NULL;
  HailAccount *account = hail_call_get_account (self->call);

  if (self->store == NULL)
    return;
  draft = hail_store_call_new (hail_sip_uri_to_string (hail_account_get_aor (account)),
                               hail_call_get_remote_uri (self->call),
                               hail_call_get_outgoing (self->call) ? HAIL_STORE_DIRECTION_OUT
                                                                   : HAIL_STORE_DIRECTION_IN,
                               hail_call_get_call_id (self->call));
  self->store_adding = TRUE;
  hail_store_add_call_async (self->store, draft, NULL, store_added_cb, g_object_ref (self));
}

static void
record_answer (HailCoreCall *self)
{
  if (self->store_id > 0)
    store_answer (self);
  else if (self->store_adding)
    self->store_answer_pending = TRUE;
}

static void
record_end (HailCoreCall *self)
{
  if (self->store_id > 0)
    store_end (self);
  else if (self->store_adding)
    self->store_end_pending = TRUE;
}

/* ---- caller ID ---- */

static void
contact_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HailCoreCall) self = user_data;
  g_autoptr(HailStoreContact) contact = NULL;
  g_autoptr(GError) error = NULL;

  contact = hail_store_find_contact_finish (HAIL_STORE (source), result, &error);
  if (contact == NULL || hail_store_contact_get_name (contact) == NULL ||
      *hail_store_contact_get_name (contact) == '\0')
    return;
  g_free (self->peer_name);
  self->peer_name = g_strdup (hail_store_contact_get_name (contact));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_NAME]);
}

/* ---- media ---- */

static HailMediaDevice *
find_device (HailCoreCall        *self,
             HailMediaDeviceKind  kind,
             const char          *id)
{
  if (id == NULL || self->devices == NULL)
    return NULL;
  return hail_media_devices_find (self->devices, kind, id);
}

static HailMediaSink *
output_sink (HailCoreCall *self)
{
  return hail_media_sink_new_device (find_device (self, HAIL_MEDIA_DEVICE_KIND_OUTPUT,
                                                  self->output_device));
}

static HailMediaSource *
input_source (HailCoreCall *self)
{
  return hail_media_source_new_device_full (find_device (self, HAIL_MEDIA_DEVICE_KIND_INPUT,
                                                         self->input_device),
                                            self->echo_cancellation);
}

static void
apply_source (HailCoreCall *self)
{
  g_autoptr(HailMediaSource) source = input_source (self);
  g_autoptr(GError) error = NULL;

  if (!hail_call_set_source (self->call, source, &error))
    g_debug ("Cannot switch the microphone: %s", error->message);
}

static void
apply_sink (HailCoreCall *self)
{
  g_autoptr(HailMediaSink) sink = output_sink (self);
  g_autoptr(GError) error = NULL;

  if (!hail_call_set_sink (self->call, sink, &error))
    g_debug ("Cannot switch the speaker: %s", error->message);
}

static void
stop_tone (HailCoreCall *self)
{
  if (self->tone != NULL)
    hail_media_tone_stop (self->tone);
  g_clear_object (&self->tone);
}

static void
play_tone (HailCoreCall      *self,
           HailMediaToneKind  kind)
{
  g_autoptr(HailMediaSink) sink = NULL;
  g_autoptr(GError) error = NULL;

  if (self->tone != NULL && hail_media_tone_get_kind (self->tone) == kind)
    return;
  stop_tone (self);
  sink = output_sink (self);
  self->tone = hail_media_tone_new (kind, sink);
  /* A call works without its tone: no sound server is no reason to fail. */
  if (!hail_media_tone_start (self->tone, &error))
    {
      g_debug ("Cannot play the %s tone: %s",
               kind == HAIL_MEDIA_TONE_KIND_RING ? "ring" : "ring-back", error->message);
      g_clear_object (&self->tone);
    }
}

static void
level_cb (HailCoreCall *self,
          GParamSpec   *pspec)
{
  g_object_notify_by_pspec (G_OBJECT (self),
                            g_str_equal (pspec->name, "input-level") ?
                            properties[PROP_INPUT_LEVEL] : properties[PROP_OUTPUT_LEVEL]);
}

static void
quality_cb (HailCoreCall *self)
{
  g_signal_emit_by_name (self, "quality-changed");
}

static void
watch_media (HailCoreCall *self)
{
  HailMediaSession *media = hail_call_get_media (self->call);

  if (media == self->media)
    return;
  if (self->media != NULL)
    g_signal_handlers_disconnect_by_data (self->media, self);
  g_set_object (&self->media, media);
  if (media == NULL)
    return;
  g_signal_connect_object (media, "notify::input-level", G_CALLBACK (level_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (media, "notify::output-level", G_CALLBACK (level_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (media, "notify::jitter-latency", G_CALLBACK (quality_cb), self,
                           G_CONNECT_SWAPPED);
  hail_media_session_set_muted (media, self->muted);
  quality_cb (self);
}

static void
unwatch_media (HailCoreCall *self)
{
  if (self->media == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->media, self);
  g_clear_object (&self->media);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_LEVEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_LEVEL]);
  quality_cb (self);
}

/* ---- state ---- */

static gboolean
tick_cb (gpointer user_data)
{
  HailCoreCall *self = user_data;
  guint duration = (guint) ((g_get_monotonic_time () - self->answered_at) / G_USEC_PER_SEC);

  if (duration != self->duration)
    {
      self->duration = duration;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
  return G_SOURCE_CONTINUE;
}

static char *
display_name (HailCoreCall *self)
{
  return g_strdup (self->peer_name != NULL ? self->peer_name
                                           : hail_call_get_remote_uri (self->call));
}

static void
call_state_cb (HailCoreCall *self)
{
  HailCallViewState state = hail_core_call_map_state (hail_call_get_state (self->call),
                                                      hail_call_get_outgoing (self->call));
  gboolean was_answered = self->answered_at != 0;

  if (state == self->state)
    return;
  self->state = state;
  switch (state)
    {
    case HAIL_CALL_VIEW_STATE_INCOMING:
      if (self->ring)
        play_tone (self, HAIL_MEDIA_TONE_KIND_RING);
      break;
    case HAIL_CALL_VIEW_STATE_RINGING:
      /* With early media (183) the peer's own ring-back plays instead. */
      if (hail_call_get_state (self->call) == HAIL_SIP_SESSION_STATE_RINGING)
        play_tone (self, HAIL_MEDIA_TONE_KIND_RINGBACK);
      else
        stop_tone (self);
      break;
    case HAIL_CALL_VIEW_STATE_ACTIVE:
      stop_tone (self);
      self->answered_at = g_get_monotonic_time ();
      self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
      watch_media (self);
      record_answer (self);
      break;
    case HAIL_CALL_VIEW_STATE_ENDED:
      {
        g_autofree char *name = display_name (self);

        stop_tone (self);
        g_clear_handle_id (&self->tick_id, g_source_remove);
        unwatch_media (self);
        self->end_reason = hail_core_call_describe_end (hail_call_get_status (self->call),
                                                        hail_call_get_outgoing (self->call),
                                                        was_answered, self->hung_up_here,
                                                        hail_call_get_media_error (self->call),
                                                        name);
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_REASON]);
        record_end (self);
      }
      break;
    case HAIL_CALL_VIEW_STATE_DIALING:
    default:
      break;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
call_held_cb (HailCoreCall *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
}

static void
held_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HailCoreCall) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hail_call_set_held_finish (HAIL_CALL (source), result, &error))
    {
      g_debug ("Hold or resume failed: %s", error->message);
      /* The window's toggle goes back to what is true. */
      if (self != NULL)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
    }
}

static void
hold_call (HailCall     *call,
           gboolean      held,
           HailCoreCall *view)
{
  hail_call_set_held_async (call, held, NULL, held_done_cb,
                            view != NULL ? g_object_ref (view) : NULL);
}

static void
set_held (HailCoreCall *self,
          gboolean      held)
{
  /* HailCall queues a request made while another is in flight: compare
   * with where those lead, not with the state of the moment. */
  if (held == hail_call_get_held_requested (self->call) ||
      self->state != HAIL_CALL_VIEW_STATE_ACTIVE)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD]);
      return;
    }
  hold_call (self->call, held, self);
}

static void
set_device (HailCoreCall  *self,
            char         **field,
            const char    *id,
            gboolean       input)
{
  if (g_strcmp0 (*field, id) == 0)
    return;
  g_free (*field);
  *field = g_strdup (id);
  if (input)
    apply_source (self);
  else
    {
      apply_sink (self);
      if (self->tone != NULL)
        {
          HailMediaToneKind kind = hail_media_tone_get_kind (self->tone);

          stop_tone (self);
          play_tone (self, kind);
        }
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[input ? PROP_INPUT_DEVICE
                                                              : PROP_OUTPUT_DEVICE]);
}

/* ---- HailCallView ---- */

static gboolean
answer (HailCallView  *view,
        GError       **error)
{
  HailCoreCall *self = HAIL_CORE_CALL (view);
  GListModel *calls;

  if (self->state != HAIL_CALL_VIEW_STATE_INCOMING)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This call is not ringing any more."));
      return FALSE;
    }
  stop_tone (self);
  /* Call waiting: the call we were in goes on hold first, unless the
   * window already asked for that. */
  calls = hail_call_manager_get_calls (self->manager);
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr(HailCall) other = g_list_model_get_item (calls, i);

      if (other != self->call && !hail_call_get_held_requested (other) &&
          hail_call_get_state (other) == HAIL_SIP_SESSION_STATE_ESTABLISHED)
        hold_call (other, TRUE, NULL);
    }
  return hail_call_answer (self->call, error);
}

static void
hangup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_call_hangup_finish (HAIL_CALL (source), result, &error))
    g_debug ("Hanging up failed: %s", error->message);
}

static gboolean
hang_up (HailCallView  *view,
         GError       **error)
{
  HailCoreCall *self = HAIL_CORE_CALL (view);

  if (self->state == HAIL_CALL_VIEW_STATE_ENDED)
    return TRUE;
  self->hung_up_here = TRUE;
  stop_tone (self);
  hail_call_hangup_async (self->call, NULL, hangup_done_cb, NULL);
  return TRUE;
}

/* 486 Busy Here (RFC 3261 21.4.24): this phone cannot take another call,
 * which is not the user declining it (603): the store records a 486 as
 * missed, so the user learns of it. */
static gboolean
refuse_busy (HailCallView  *view,
             GError       **error)
{
  HailCoreCall *self = HAIL_CORE_CALL (view);

  if (self->state != HAIL_CALL_VIEW_STATE_INCOMING)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This call is not ringing any more."));
      return FALSE;
    }
  stop_tone (self);
  return hail_call_reject (self->call, HAIL_STORE_STATUS_BUSY_HERE, error);
}

static gboolean
send_dtmf (HailCallView  *view,
           char           digit,
           GError       **error)
{
  HailCoreCall *self = HAIL_CORE_CALL (view);
  char digits[2] = { digit, '\0' };

  return hail_call_send_dtmf (self->call, digits, error);
}

static gboolean
get_quality (HailCallView    *view,
             HailCallQuality *quality)
{
  HailCoreCall *self = HAIL_CORE_CALL (view);
  const HailMediaStreamConfig *config;
  GParamSpec *latency;

  if (self->media == NULL)
    return FALSE;
  config = hail_media_session_get_config (self->media);
  if (config == NULL)
    return FALSE;
  quality->codec = config->codec;
  quality->rate = hail_media_codec_get_decoded_rate (config->codec);
  quality->encrypted = config->srtp_suite != HAIL_MEDIA_SRTP_SUITE_NONE;
  quality->delay_ms = hail_media_session_get_jitter_latency_ms (self->media);
  /* The media layer states the delay's cap as its property's maximum. */
  latency = g_object_class_find_property (G_OBJECT_GET_CLASS (self->media), "jitter-latency");
  quality->delay_max_ms = latency != NULL ? G_PARAM_SPEC_UINT (latency)->maximum : 0;
  quality->received = hail_media_session_get_packets_received (self->media);
  quality->lost = hail_media_session_get_packets_lost (self->media);
  quality->late = hail_media_session_get_packets_late (self->media);
  return TRUE;
}

static void
call_view_iface_init (HailCallViewInterface *iface)
{
  iface->get_quality = get_quality;
  iface->answer = answer;
  iface->hang_up = hang_up;
  iface->send_dtmf = send_dtmf;
  iface->refuse_busy = refuse_busy;
}

/* ---- GObject ---- */

static void
hail_core_call_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HailCoreCall *self = HAIL_CORE_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, hail_call_get_call_id (self->call));
      break;
    case PROP_PEER:
      g_value_set_string (value, hail_call_get_remote_uri (self->call));
      break;
    case PROP_PEER_NAME:
      g_value_set_string (value, self->peer_name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DURATION:
      g_value_set_uint (value, self->duration);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_HELD:
      g_value_set_boolean (value, hail_call_get_held (self->call));
      break;
    case PROP_INPUT_LEVEL:
      g_value_set_double (value, self->media ? hail_media_session_get_input_level (self->media)
                                             : 0.0);
      break;
    case PROP_OUTPUT_LEVEL:
      g_value_set_double (value, self->media ? hail_media_session_get_output_level (self->media)
                                             : 0.0);
      break;
    case PROP_INPUT_DEVICE:
      g_value_set_string (value, self->input_device);
      break;
    case PROP_OUTPUT_DEVICE:
      g_value_set_string (value, self->output_device);
      break;
    case PROP_END_REASON:
      g_value_set_string (value, self->end_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_core_call_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HailCoreCall *self = HAIL_CORE_CALL (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      if (self->muted == g_value_get_boolean (value))
        return;
      self->muted = g_value_get_boolean (value);
      if (self->media != NULL)
        hail_media_session_set_muted (self->media, self->muted);
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_HELD:
      set_held (self, g_value_get_boolean (value));
      break;
    case PROP_INPUT_DEVICE:
      set_device (self, &self->input_device, g_value_get_string (value), TRUE);
      break;
    case PROP_OUTPUT_DEVICE:
      set_device (self, &self->output_device, g_value_get_string (value), FALSE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_core_call_dispose (GObject *object)
{
  HailCoreCall *self = HAIL_CORE_CALL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  stop_tone (self);
  if (self->media != NULL)
    g_signal_handlers_disconnect_by_data (self->media, self);
  g_clear_object (&self->media);
  if (self->call != NULL)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->call);
  g_clear_object (&self->manager);
  g_clear_object (&self->store);
  g_clear_object (&self->devices);

  G_OBJECT_CLASS (hail_core_call_parent_class)->dispose (object);
}

static void
hail_core_call_finalize (GObject *object)
{
  HailCoreCall *self = HAIL_CORE_CALL (object);

  g_clear_object (&self->cancellable);
  g_free (self->peer_name);
  g_free (self->end_reason);
  g_free (self->input_device);
  g_free (self->output_device);

  G_OBJECT_CLASS (hail_core_call_parent_class)->finalize (object);
}

static void
hail_core_call_class_init (HailCoreCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_core_call_get_property;
  object_class->set_property = hail_core_call_set_property;
  object_class->dispose = hail_core_call_dispose;
  object_class->finalize = hail_core_call_finalize;

  g_object_class_override_property (object_class, PROP_ID, "id");
  g_object_class_override_property (object_class, PROP_PEER, "peer");
  g_object_class_override_property (object_class, PROP_PEER_NAME, "peer-name");
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_DURATION, "duration");
  g_object_class_override_property (object_class, PROP_MUTED, "muted");
  g_object_class_override_property (object_class, PROP_HELD, "held");
  g_object_class_override_property (object_class, PROP_INPUT_LEVEL, "input-level");
  g_object_class_override_property (object_class, PROP_OUTPUT_LEVEL, "output-level");
  g_object_class_override_property (object_class, PROP_INPUT_DEVICE, "input-device");
  g_object_class_override_property (object_class, PROP_OUTPUT_DEVICE, "output-device");
  g_object_class_override_property (object_class, PROP_END_REASON, "end-reason");
  for (guint i = 1; i < N_PROPS; i++)
    properties[i] = g_object_class_find_property (object_class, property_names[i]);
}

static void
hail_core_call_init (HailCoreCall *self)
{
  self->cancellable = g_cancellable_new ();
  self->state = HAIL_CALL_VIEW_STATE_DIALING;
}

HailCoreCall *
hail_core_call_new (HailCall         *call,
                    HailCallManager  *manager,
                    HailStore        *store,
                    HailMediaDevices *devices,
                    const char       *input_device,
                    const char       *output_device,
                    HailCoreCallFlags flags)
{
  HailCoreCall *self;

  g_return_val_if_fail (HAIL_IS_CALL (call), NULL);
  g_return_val_if_fail (HAIL_IS_CALL_MANAGER (manager), NULL);
  g_return_val_if_fail (store == NULL || HAIL_IS_STORE (store), NULL);
  g_return_val_if_fail (devices == NULL || HAIL_IS_MEDIA_DEVICES (devices), NULL);

  self = g_object_new (HAIL_TYPE_CORE_CALL, NULL);
  self->call = g_object_ref (call);
  self->manager = g_object_ref (manager);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->devices = devices != NULL ? g_object_ref (devices) : NULL;
  self->input_device = input_device != NULL && *input_device != '\0' ? g_strdup (input_device)
                                                                      : NULL;
  self->output_device = output_device != NULL && *output_device != '\0'
                        ? g_strdup (output_device) : NULL;
  self->ring = (flags & HAIL_CORE_CALL_RING) != 0;
  self->echo_cancellation = (flags & HAIL_CORE_CALL_ECHO_CANCELLATION) != 0;
  self->state = hail_core_call_map_state (hail_call_get_state (call),
                                          hail_call_get_outgoing (call));
  g_signal_connect_object (call, "notify::state", G_CALLBACK (call_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (call, "notify::held", G_CALLBACK (call_held_cb), self,
                           G_CONNECT_SWAPPED);
  apply_source (self);
  apply_sink (self);
  store_add (self);
  if (store != NULL)
    hail_store_find_contact_async (store, hail_call_get_remote_uri (call), self->cancellable,
                                   contact_found_cb, g_object_ref (self));
  if (self->state == HAIL_CALL_VIEW_STATE_INCOMING && self->ring)
    play_tone (self, HAIL_MEDIA_TONE_KIND_RING);
  return self;
}

HailCall *
hail_core_call_get_call (HailCoreCall *self)
{
  g_return_val_if_fail (HAIL_IS_CORE_CALL (self), NULL);

  return self->call;
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure ends the call: "state" and "end-reason" tell the window. */
  if (!hail_call_start_finish (HAIL_CALL (source), result, &error))
    g_debug ("The call did not connect: %s", error->message);
}

void
hail_core_call_start (HailCoreCall *self)
{
  g_return_if_fail (HAIL_IS_CORE_CALL (self));
  g_return_if_fail (hail_call_get_outgoing (self->call));

  hail_call_start_async (self->call, NULL, started_cb, NULL);
}

HailCallViewState
hail_core_call_map_state (HailSipSessionState state,
                          gboolean            outgoing)
{
  switch (state)
    {
    case HAIL_SIP_SESSION_STATE_IDLE:
    case HAIL_SIP_SESSION_STATE_CALLING:
      return outgoing ? HAIL_CALL_VIEW_STATE_DIALING : HAIL_CALL_VIEW_STATE_INCOMING;
    case HAIL_SIP_SESSION_STATE_INCOMING:
      return HAIL_CALL_VIEW_STATE_INCOMING;
    case HAIL_SIP_SESSION_STATE_RINGING:
    case HAIL_SIP_SESSION_STATE_EARLY:
      return outgoing ? HAIL_CALL_VIEW_STATE_RINGING : HAIL_CALL_VIEW_STATE_INCOMING;
    /* Incoming, answered, waiting for the ACK: answered as far as people
     * can tell. */
    case HAIL_SIP_SESSION_STATE_CONNECTING:
    case HAIL_SIP_SESSION_STATE_ESTABLISHED:
      return HAIL_CALL_VIEW_STATE_ACTIVE;
    case HAIL_SIP_SESSION_STATE_TERMINATING:
    case HAIL_SIP_SESSION_STATE_TERMINATED:
    default:
      return HAIL_CALL_VIEW_STATE_ENDED;
    }
}

char *
hail_core_call_describe_end (guint         status,
                             gboolean      outgoing,
                             gboolean      was_answered,
                             gboolean      hung_up_here,
                             const GError *media_error,
                             const char   *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (media_error != NULL)
    /* Translators: %s says what failed in the audio pipeline */
    return g_strdup_printf (_("The call's audio failed: %s"), media_error->message);
  if (hung_up_here || was_answered)
    return NULL;
  if (!outgoing)
    /* Translators: %s is who called */
    return g_strdup_printf (_("%s hung up before the call was answered."), name);
  switch (status)
    {
    case 486:
    case 600:
      /* Translators: %s is who was called */
      return g_strdup_printf (_("%s is busy."), name);
    case 480:
      return g_strdup_printf (_("%s is not available right now: not signed in, or not "
                                "taking calls."), name);
    case 404:
    case 604:
      return g_strdup_printf (_("%s does not exist: check the address."), name);
    case 603:
      return g_strdup_printf (_("%s declined the call."), name);
    case 408:
      return g_strdup_printf (_("No answer from %s."), name);
    case 401:
    case 407:
      return g_strdup (_("The server refused the account's password: check it in the "
                         "account settings."));
    case 403:
      return g_strdup (_("The server does not allow this call."));
    case 415:
    case 488:
    case 606:
      return g_strdup_printf (_("%s cannot use any of the audio formats Hail offers."), name);
    default:
      break;
    }
  if (status >= 500 && status < 600)
    /* Translators: %u is a SIP status code such as 503 */
    return g_strdup_printf (_("The server could not connect the call (SIP status %u). Try "
                              "again later."), status);
  if (status >= 300)
    return g_strdup_printf (_("The call failed (SIP status %u)."), status);
  return g_strdup (_("The call could not be connected: the server did not answer."));
}
