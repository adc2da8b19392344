/* hail-media-stream-config.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-media-stream-config.h"

#include <gio/gio.h>
#include <string.h>

#include "hail-media-error.h"

G_DEFINE_BOXED_TYPE (HailMediaStreamConfig, hail_media_stream_config,
                     hail_media_stream_config_copy, hail_media_stream_config_free)

static const struct {
  const char *encoding_name;
  guint       clock_rate;
  guint       decoded_rate;
} codecs[] = {
  [HAIL_MEDIA_CODEC_OPUS] = { "opus", 48000, 48000 },
  /* RFC 3551 §4.5.2: G.722 samples at 16 kHz but its RTP clock runs at 8000
   * because of an error in RFC 1890 kept for compatibility. */
  [HAIL_MEDIA_CODEC_G722] = { "G722", 8000, 16000 },
  [HAIL_MEDIA_CODEC_PCMU] = { "PCMU", 8000, 8000 },
  [HAIL_MEDIA_CODEC_PCMA] = { "PCMA", 8000, 8000 },
};

static gboolean
codec_is_valid (HailMediaCodec codec)
{
  return (guint) codec < G_N_ELEMENTS (codecs);
}

/**
 * hail_media_codec_to_encoding_name:
 *
 * Returns: the encoding name as written in an SDP rtpmap ("opus", "PCMU").
 */
const char *
hail_media_codec_to_encoding_name (HailMediaCodec codec)
{
  g_return_val_if_fail (codec_is_valid (codec), NULL);

  return codecs[codec].encoding_name;
}

/**
 * hail_media_codec_from_encoding_name:
 *
 * Maps an rtpmap encoding name (compared without case, RFC 4855 §3) to a
 * codec. Returns: %FALSE when Hail does not implement it.
 */
gboolean
hail_media_codec_from_encoding_name (const char     *name,
                                     HailMediaCodec *codec)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (codec != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (codecs); i++)
    {
      if (g_ascii_strcasecmp (name, codecs[i].encoding_name) == 0)
        {
          *codec = (HailMediaCodec) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * hail_media_codec_get_clock_rate:
 *
 * Returns: the RTP clock rate of @codec (not always its sample rate).
 */
guint
hail_media_codec_get_clock_rate (HailMediaCodec codec)
{
  g_return_val_if_fail (codec_is_valid (codec), 0);

  return codecs[codec].clock_rate;
}

/**
 * hail_media_codec_get_decoded_rate:
 *
 * Returns: the sample rate of the audio @codec encodes and decodes; this is
 * also the rate recordings are written at.
 */
guint
hail_media_codec_get_decoded_rate (HailMediaCodec codec)
{
  g_return_val_if_fail (codec_is_valid (codec), 0);

  return codecs[codec].decoded_rate;
}

static const char * const srtp_suite_names[] = {
  [HAIL_MEDIA_SRTP_SUITE_NONE] = "NONE",
  [HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_80] = "AES_CM_128_HMAC_SHA1_80",
  [HAIL_MEDIA_SRTP_SUITE_AES_CM_128_HMAC_SHA1_32] = "AES_CM_128_HMAC_SHA1_32",
};

/**
 * hail_media_srtp_suite_from_name:
 *
 * Maps an RFC 4568 crypto-suite name to a suite. Returns: %FALSE when unknown.
 */
gboolean
hail_media_srtp_suite_from_name (const char         *name,
                                 HailMediaSrtpSuite *suite)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (suite != NULL, FALSE);

  for (guint i = 1; i < G_N_ELEMENTS (srtp_suite_names); i++)
    {
      if (strcmp (name, srtp_suite_names[i]) == 0)
        {
          *suite = (HailMediaSrtpSuite) i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * hail_media_srtp_suite_to_name:
 *
 * Returns: the RFC 4568 name of @suite, "NONE" for plain RTP.
 */
const char *
hail_media_srtp_suite_to_name (HailMediaSrtpSuite suite)
{
  g_return_val_if_fail ((guint) suite < G_N_ELEMENTS (srtp_suite_names), NULL);

  return srtp_suite_names[suite];
}

/**
 * hail_media_stream_config_new:
 *
 * Creates a sendrecv description with the codec's clock rate, one channel,
 * 20 ms packets and no telephone-events or SRTP; fill in the rest.
 */
HailMediaStreamConfig *
hail_media_stream_config_new (HailMediaCodec  codec,
                              guint           payload_type,
                              const char     *remote_address,
                              guint16         remote_rtp_port)
{
  HailMediaStreamConfig *self;

  g_return_val_if_fail (codec_is_valid (codec), NULL);

  self = g_new0 (HailMediaStreamConfig, 1);
  self->codec = codec;
  self->payload_type = payload_type;
  self->clock_rate = codecs[codec].clock_rate;
  self->channels = 1;
  self->ptime = 20;
  self->telephone_event_pt = -1;
  self->remote_address = g_strdup (remote_address);
  self->remote_rtp_port = remote_rtp_port;
  self->direction = HAIL_MEDIA_DIRECTION_SENDRECV;
  return self;
}

/**
 * hail_media_stream_config_copy:
 *
 * Returns: (transfer full): a deep copy of @self.
 */
HailMediaStreamConfig *
hail_media_stream_config_copy (const HailMediaStreamConfig *self)
{
  HailMediaStreamConfig *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->fmtp = g_strdup (self->fmtp);
  copy->remote_address = g_strdup (self->remote_address);
  copy->local_address = g_strdup (self->local_address);
  if (self->srtp_send_key != NULL)
    copy->srtp_send_key = g_bytes_ref (self->srtp_send_key);
  if (self->srtp_recv_key != NULL)
    copy->srtp_recv_key = g_bytes_ref (self->srtp_recv_key);
  return copy;
}

void
hail_media_stream_config_free (HailMediaStreamConfig *self)
{
  if (self == NULL)
    return;
  g_free (self->fmtp);
  g_free (self->remote_address);
  g_free (self->local_address);
  g_clear_pointer (&self->srtp_send_key, g_bytes_unref);
  g_clear_pointer (&self->srtp_recv_key, g_bytes_unref);
  g_free (self);
}

/**
 * hail_media_stream_config_set_srtp:
 * @suite_name: an RFC 4568 crypto suite name
 * @send_key: our master key and salt, 30 bytes
 * @recv_key: the peer's master key and salt, 30 bytes
 *
 * Turns SRTP on with the keys from the two a=crypto lines (already base64
 * decoded). On failure @self is unchanged.
 */
gboolean
hail_media_stream_config_set_srtp (HailMediaStreamConfig  *self,
                                   const char             *suite_name,
                                   GBytes                 *send_key,
                                   GBytes                 *recv_key,
                                   GError                **error)
{
  HailMediaSrtpSuite suite;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (suite_name != NULL, FALSE);
  g_return_val_if_fail (send_key != NULL && recv_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!hail_media_srtp_suite_from_name (suite_name, &suite))
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                   "Unsupported SRTP crypto suite “%s”", suite_name);
      return FALSE;
    }
  if (g_bytes_get_size (send_key) != HAIL_MEDIA_SRTP_KEY_LENGTH
      || g_bytes_get_size (recv_key) != HAIL_MEDIA_SRTP_KEY_LENGTH)
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                   "SRTP master key and salt must be %d bytes", HAIL_MEDIA_SRTP_KEY_LENGTH);
      return FALSE;
    }
  self->srtp_suite = suite;
  g_clear_pointer (&self->srtp_send_key, g_bytes_unref);
  g_clear_pointer (&self->srtp_recv_key, g_bytes_unref);
  self->srtp_send_key = g_bytes_ref (send_key);
  self->srtp_recv_key = g_bytes_ref (recv_key);
  return TRUE;
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID, message);
  return FALSE;
}

/**
 * hail_media_stream_config_validate:
 *
 * Checks that a session can run @self; the values come from a peer's SDP, so
 * every field is checked here rather than asserted later.
 */
gboolean
hail_media_stream_config_validate (const HailMediaStreamConfig  *self,
                                   GError                      **error)
{
  g_autoptr(GInetAddress) remote = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!codec_is_valid (self->codec))
    return invalid (error, "Unknown codec");
  if (self->payload_type > 127)
    return invalid (error, "RTP payload type out of range 0-127");
  if (self->clock_rate != 0 && self->clock_rate != codecs[self->codec].clock_rate)
    {
      g_set_error (error, HAIL_MEDIA_ERROR, HAIL_MEDIA_ERROR_INVALID,
                   "%s needs an RTP clock rate of %u, not %u",
                   codecs[self->codec].encoding_name, codecs[self->codec].clock_rate,
                   self->clock_rate);
      return FALSE;
    }
  if (self->channels > 2)
    return invalid (error, "More than two audio channels");
  if (self->ptime > HAIL_MEDIA_MAX_PTIME || (self->ptime != 0 && self->ptime < 10))
    return invalid (error, "Packet time out of range 10-120 ms");
  if (self->telephone_event_pt > 127 || self->telephone_event_pt < -1)
    return invalid (error, "Telephone-event payload type out of range 0-127");
  if (self->telephone_event_pt == (int) self->payload_type)
    return invalid (error, "Telephone-events and audio share a payload type");
  if (self->direction > HAIL_MEDIA_DIRECTION_SENDRECV)
    return invalid (error, "Unknown stream direction");
  if (self->remote_address == NULL
      || (remote = g_inet_address_new_from_string (self->remote_address)) == NULL)
    return invalid (error, "The remote RTP address is not an IP address");
  if (self->remote_rtp_port == 0)
    return invalid (error, "The remote RTP port is 0");
  if (self->remote_rtcp_port == 0 && self->remote_rtp_port == G_MAXUINT16)
    return invalid (error, "The remote RTP port 65535 leaves no port for RTCP");
  if ((guint) self->srtp_suite >= G_N_ELEMENTS (srtp_suite_names))
    return invalid (error, "Unknown SRTP crypto suite");
  if (self->srtp_suite != HAIL_MEDIA_SRTP_SUITE_NONE
      && (self->srtp_send_key == NULL || self->srtp_recv_key == NULL
          || g_bytes_get_size (self->srtp_send_key) != HAIL_MEDIA_SRTP_KEY_LENGTH
          || g_bytes_get_size (self->srtp_recv_key) != HAIL_MEDIA_SRTP_KEY_LENGTH))
    return invalid (error, "SRTP master key and salt must be 30 bytes");
  return TRUE;
}
