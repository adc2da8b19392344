/* hail-media-session-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GStreamer side of a HailMediaSession: one pipeline per negotiated
 * stream, rebuilt when the stream changes. Only hail-media-session*.c
 * include this.
 */
#pragma once

#include <gst/gst.h>

#include "hail-media-jitter.h"
#include "hail-media-session.h"

G_BEGIN_DECLS

/* rtpbin streams (SSRCs) per session: a peer cycling SSRCs cannot make us
 * build receive branches without end. */
#define HAIL_MEDIA_MAX_STREAMS 8
/* Level messages, and so the level properties, come at most this often. */
#define HAIL_MEDIA_LEVEL_INTERVAL_MS 100
/* How long stopping may wait for a recording's WAV header to be written. */
#define HAIL_MEDIA_FINISH_TIMEOUT_MS 2000

typedef struct _HailMediaPipeline HailMediaPipeline;

HailMediaPipeline *_hail_media_pipeline_new           (GSocket                     *rtp_socket,
                                                       GSocket                     *rtcp_socket,
                                                       const HailMediaStreamConfig *config,
                                                       HailMediaSource             *source,
                                                       HailMediaSink               *sink,
                                                       gboolean                     muted,
                                                       GError                     **error);
void               _hail_media_pipeline_free          (HailMediaPipeline           *self);
GstElement        *_hail_media_pipeline_get_element   (HailMediaPipeline           *self);
gboolean           _hail_media_pipeline_play          (HailMediaPipeline           *self,
                                                       GError                     **error);
void               _hail_media_pipeline_set_direction (HailMediaPipeline           *self,
                                                       HailMediaDirection           direction);
void               _hail_media_pipeline_set_muted     (HailMediaPipeline           *self,
                                                       gboolean                     muted);
gboolean           _hail_media_pipeline_dtmf          (HailMediaPipeline           *self,
                                                       int                          event,
                                                       gboolean                     start);
gboolean           _hail_media_pipeline_move_input    (HailMediaPipeline           *self,
                                                       HailMediaSource             *from,
                                                       HailMediaSource             *to);
gboolean           _hail_media_pipeline_move_output   (HailMediaPipeline           *self,
                                                       HailMediaSink               *from,
                                                       HailMediaSink               *to);
gboolean           _hail_media_pipeline_is_in_level   (HailMediaPipeline           *self,
                                                       GstObject                   *src);
gboolean           _hail_media_pipeline_is_out_level  (HailMediaPipeline           *self,
                                                       GstObject                   *src);
guint64            _hail_media_pipeline_get_sent      (HailMediaPipeline           *self);
guint64            _hail_media_pipeline_get_received  (HailMediaPipeline           *self);
void               _hail_media_pipeline_set_latency   (HailMediaPipeline           *self,
                                                       guint                        latency_ms);
void               _hail_media_pipeline_get_jitter_stats (HailMediaPipeline        *self,
                                                          HailMediaJitterStats     *stats);

G_END_DECLS
