/* hail-media-session.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-media-sink.h"
#include "hail-media-source.h"
#include "hail-media-stream-config.h"

G_BEGIN_DECLS

/**
 * HailMediaSessionState:
 * @HAIL_MEDIA_SESSION_STATE_READY: ports allocated, no audio flowing
 * @HAIL_MEDIA_SESSION_STATE_RUNNING: the pipeline runs
 * @HAIL_MEDIA_SESSION_STATE_FAILED: the pipeline failed; see the error property
 */
typedef enum {
  HAIL_MEDIA_SESSION_STATE_READY,
  HAIL_MEDIA_SESSION_STATE_RUNNING,
  HAIL_MEDIA_SESSION_STATE_FAILED,
} HailMediaSessionState;

/* How long a DTMF digit sounds and the pause after it, in milliseconds. */
#define HAIL_MEDIA_DTMF_TONE_MS 160
#define HAIL_MEDIA_DTMF_GAP_MS  80
/* Digits send_dtmf() queues at most. */
#define HAIL_MEDIA_DTMF_MAX_QUEUED 64

#define HAIL_TYPE_MEDIA_SESSION (hail_media_session_get_type ())

G_DECLARE_FINAL_TYPE (HailMediaSession, hail_media_session, HAIL, MEDIA_SESSION, GObject)

HailMediaSession            *hail_media_session_new                  (const char             *local_address,
                                                                      GError                **error)
                                                                      G_GNUC_WARN_UNUSED_RESULT;
const char                  *hail_media_session_get_local_address    (HailMediaSession       *self);
guint16                      hail_media_session_get_local_rtp_port   (HailMediaSession       *self);
guint16                      hail_media_session_get_local_rtcp_port  (HailMediaSession       *self);

HailMediaSource             *hail_media_session_get_source           (HailMediaSession       *self);
gboolean                     hail_media_session_set_source           (HailMediaSession       *self,
                                                                      HailMediaSource        *source,
                                                                      GError                **error);
HailMediaSink               *hail_media_session_get_sink             (HailMediaSession       *self);
gboolean                     hail_media_session_set_sink             (HailMediaSession       *self,
                                                                      HailMediaSink          *sink,
                                                                      GError                **error);

gboolean                     hail_media_session_start                (HailMediaSession       *self,
                                                                      const HailMediaStreamConfig *config,
                                                                      GError                **error);
gboolean                     hail_media_session_update               (HailMediaSession       *self,
                                                                      const HailMediaStreamConfig *config,
                                                                      GError                **error);
void                         hail_media_session_stop                 (HailMediaSession       *self);
const HailMediaStreamConfig *hail_media_session_get_config           (HailMediaSession       *self);
HailMediaSessionState        hail_media_session_get_state            (HailMediaSession       *self);
const GError                *hail_media_session_get_error            (HailMediaSession       *self);

gboolean                     hail_media_session_send_dtmf            (HailMediaSession       *self,
                                                                      const char             *digits,
                                                                      GError                **error);
gboolean                     hail_media_session_get_muted            (HailMediaSession       *self);
void                         hail_media_session_set_muted            (HailMediaSession       *self,
                                                                      gboolean                muted);
double                       hail_media_session_get_input_level      (HailMediaSession       *self);
double                       hail_media_session_get_output_level     (HailMediaSession       *self);
guint64                      hail_media_session_get_packets_sent     (HailMediaSession       *self);
guint64                      hail_media_session_get_packets_received (HailMediaSession       *self);
guint64                      hail_media_session_get_packets_late     (HailMediaSession       *self);
guint64                      hail_media_session_get_packets_lost     (HailMediaSession       *self);
guint                        hail_media_session_get_jitter_latency_ms (HailMediaSession      *self);
gboolean                     hail_media_session_get_adaptive_jitter  (HailMediaSession       *self);
void                         hail_media_session_set_adaptive_jitter  (HailMediaSession       *self,
                                                                      gboolean                adaptive);

G_END_DECLS
