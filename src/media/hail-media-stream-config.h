/* hail-media-stream-config.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * HailMediaCodec:
 * @HAIL_MEDIA_CODEC_OPUS: Opus (RFC 7587), RTP clock 48000, decoded at 48000 Hz
 * @HAIL_MEDIA_CODEC_G722: G.722, RTP clock 8000 (RFC 3551 §4.5.2), decoded at 16000 Hz
 * @HAIL_MEDIA_CODEC_PCMU: G.711 mu-law, 8000 Hz
 * @HAIL_MEDIA_CODEC_PCMA: G.711 A-law, 8000 Hz
 */
typedef enum {
  HAIL_MEDIA_CODEC_OPUS,
  HAIL_MEDIA_CODEC_G722,
  HAIL_MEDIA_CODEC_PCMU,
  HAIL_MEDIA_CODEC_PCMA,
} HailMediaCodec;

/**
 * HailMediaDirection:
 * @HAIL_MEDIA_DIRECTION_INACTIVE: neither send nor receive audio
 * @HAIL_MEDIA_DIRECTION_SENDONLY: send audio, drop what arrives
 * @HAIL_MEDIA_DIRECTION_RECVONLY: receive audio, send none
 * @HAIL_MEDIA_DIRECTION_SENDRECV: both ways
 *
 * The SDP direction of the stream from our point of view. RTCP flows in
 * every direction. The values are bits: SENDRECV is SENDONLY | RECVONLY.
 */
typedef enum {
  HAIL_MEDIA_DIRECTION_INACTIVE = 0,
  HAIL_MEDIA_DIRECTION_SENDONLY = 1,
  HAIL_MEDIA_DIRECTION_RECVONLY = 2,
  HAIL_MEDIA_DIRECTION_SENDRECV = 3,
} HailMediaDirection;

/**
 * HailMediaSrtpSuite:
 * @HAIL_MEDIA_SRTP_SUITE_NONE: plain RTP
 * @HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80: RFC 4568 suite, 80-bit tag
 * @HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32: RFC 4568 suite, 32-bit SRTP tag
 */
typedef enum {
  HAIL_MEDIA_SRTP_SUITE_NONE,
  HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80,
  HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32,
} HailMediaSrtpSuite;

/* Both suites take a 128-bit master key followed by a 112-bit master salt. */
#define HAIL_MEDIA_SRTP_KEY_LENGTH 30

/* The largest packet time we packetise; RFC 3551 allows 200 ms but no phone uses it. */
#define HAIL_MEDIA_MAX_PTIME 120

#define HAIL_TYPE_MEDIA_STREAM_CONFIG (hail_media_stream_config_get_type ())

/**
 * HailMediaStreamConfig:
 * @codec: the audio codec
 * @payload_type: its RTP payload type (0-127)
 * @clock_rate: its RTP clock rate, 0 for the codec's (8000 for G.722, 48000 for Opus)
 * @channels: channels from the rtpmap (Opus says 2; Hail always sends mono)
 * @fmtp: the format parameters of the codec, or %NULL (Opus: maxaveragebitrate,
 *   useinbandfec, usedtx are honoured)
 * @ptime: packet time in milliseconds, 0 for 20
 * @telephone_event_pt: payload type of RFC 4733 events, or -1 for none
 * @remote_address: IP address literal the peer receives RTP on
 * @remote_rtp_port: the peer's RTP port
 * @remote_rtcp_port: the peer's RTCP port, 0 for @remote_rtp_port + 1
 * @local_address: %NULL, or the address the session was bound to (checked)
 * @direction: which ways audio flows
 * @srtp_suite: SRTP crypto suite, or %HAIL_MEDIA_SRTP_SUITE_NONE
 * @srtp_send_key: our master key and salt (30 bytes) when SRTP is used
 * @srtp_recv_key: the peer's master key and salt (30 bytes) when SRTP is used
 *
 * What the layer above negotiated for one audio stream, in media terms. The
 * strings and byte arrays are owned by the struct and freed with it.
 */
typedef struct {
  HailMediaCodec      codec;
  guint               payload_type;
  guint               clock_rate;
  guint               channels;
  char               *fmtp;
  guint               ptime;
  int                 telephone_event_pt;
  char               *remote_address;
  guint16             remote_rtp_port;
  guint16             remote_rtcp_port;
  char               *local_address;
  HailMediaDirection  direction;
  HailMediaSrtpSuite  srtp_suite;
  GBytes             *srtp_send_key;
  GBytes             *srtp_recv_key;
} HailMediaStreamConfig;

GType                  hail_media_stream_config_get_type (void) G_GNUC_CONST;
HailMediaStreamConfig *hail_media_stream_config_new      (HailMediaCodec               codec,
                                                          guint                        payload_type,
                                                          const char                  *remote_address,
                                                          guint16                      remote_rtp_port)
                                                          G_GNUC_WARN_UNUSED_RESULT;
HailMediaStreamConfig *hail_media_stream_config_copy     (const HailMediaStreamConfig *self)
                                                          G_GNUC_WARN_UNUSED_RESULT;
void                   hail_media_stream_config_free     (HailMediaStreamConfig       *self);
gboolean               hail_media_stream_config_validate (const HailMediaStreamConfig *self,
                                                          GError                     **error);
gboolean               hail_media_stream_config_set_srtp (HailMediaStreamConfig       *self,
                                                          const char                  *suite_name,
                                                          GBytes                      *send_key,
                                                          GBytes                      *recv_key,
                                                          GError                     **error);

const char            *hail_media_codec_to_encoding_name   (HailMediaCodec  codec);
gboolean               hail_media_codec_from_encoding_name (const char     *name,
                                                            HailMediaCodec *codec);
guint                  hail_media_codec_get_clock_rate     (HailMediaCodec  codec);
guint                  hail_media_codec_get_decoded_rate   (HailMediaCodec  codec);
gboolean               hail_media_srtp_suite_from_name     (const char         *name,
                                                            HailMediaSrtpSuite *suite);
const char            *hail_media_srtp_suite_to_name       (HailMediaSrtpSuite  suite);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailMediaStreamConfig, hail_media_stream_config_free)

G_END_DECLS
