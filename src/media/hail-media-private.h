/* hail-media-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the files of src/media and white-box tests; nothing else
 * includes it.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "hail-media-device.h"
#include "hail-media-sink.h"
#include "hail-media-source.h"

G_BEGIN_DECLS

/* WAV files we play are read whole; beyond this they are refused (about six
 * minutes of 48 kHz stereo 32-bit audio). */
#define HAIL_MEDIA_WAV_MAX_BYTES (64 * 1024 * 1024)

/* Sources make 20 ms buffers, one packet at the usual ptime (payloaders
 * split them for shorter ones). bench-media-session, PCMU pair: 4.5 % of a
 * core with 10 ms buffers, 3.4 % with 20 ms. */
#define HAIL_MEDIA_BUFFER_MS 20

GstElement *_hail_media_gst_make          (const char          *factory,
                                          const char          *name,
                                          GError             **error);
GstElement *_hail_media_gst_add           (GstBin              *bin,
                                          const char          *factory,
                                          const char          *name,
                                          GError             **error);
gboolean    _hail_media_gst_link_chain    (GError             **error,
                                          GstElement          *first,
                                          ...) G_GNUC_NULL_TERMINATED;
void        _hail_media_gst_ghost         (GstElement          *bin,
                                          const char          *name,
                                          GstElement          *element,
                                          const char          *pad_name);
GstCaps    *_hail_media_gst_raw_caps      (guint                rate);
GSource    *_hail_media_gst_watch_bus     (GstBus              *bus,
                                          GstBusFunc           func,
                                          gpointer             user_data,
                                          GMainContext        *context);
gboolean    _hail_media_gst_parse_level   (const GstStructure  *level,
                                          double              *amplitude);

gboolean    _hail_media_ports_bind_pair   (GInetAddress        *address,
                                          GSocket            **rtp,
                                          GSocket            **rtcp,
                                          GError             **error);
guint16     _hail_media_ports_get_port    (GSocket             *socket);

GBytes     *_hail_media_wav_parse        (const guint8        *data,
                                          gsize                length,
                                          guint               *rate,
                                          GError             **error);
GBytes     *_hail_media_wav_load         (const char          *path,
                                          guint               *rate,
                                          GError             **error);
GstElement *_hail_media_pcm_source_new   (GBytes              *samples,
                                          guint                samples_rate,
                                          gboolean             loop,
                                          guint                rate,
                                          GError             **error);

GstElement *_hail_media_source_build     (HailMediaSource     *self,
                                          guint                rate,
                                          const char          *echo_probe,
                                          GError             **error);
gboolean    _hail_media_source_wants_echo_cancellation (HailMediaSource *self);
gboolean    _hail_media_source_move      (HailMediaSource     *from,
                                          HailMediaSource     *to,
                                          GstElement          *source_bin);

GstElement *_hail_media_sink_build       (HailMediaSink       *self,
                                          guint                rate,
                                          const char          *echo_probe,
                                          GError             **error);
gboolean    _hail_media_sink_is_device   (HailMediaSink       *self);
gboolean    _hail_media_sink_move        (HailMediaSink       *from,
                                          HailMediaSink       *to,
                                          GstElement          *sink_bin);
gboolean    _hail_media_sink_finish      (GstElement          *sink_bin,
                                          guint                timeout_ms);
void        _hail_media_sink_close       (GstElement          *sink_bin);

HailMediaDevice *_hail_media_device_new            (GstDevice        *device,
                                                    gboolean          is_default);
GstDevice       *_hail_media_device_get_gst_device (HailMediaDevice  *self);
GstElement      *_hail_media_device_add_element    (HailMediaDevice  *self,
                                                    GstBin           *bin,
                                                    const char       *fallback,
                                                    GError          **error);
gboolean         _hail_media_device_move           (HailMediaDevice  *self,
                                                    GstElement       *bin);
gboolean         _hail_media_device_swap_sink      (HailMediaDevice  *self,
                                                    GstElement       *bin,
                                                    const char       *fallback);

G_END_DECLS
