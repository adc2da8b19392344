/* hail-sdp-negotiation.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 3264 offer/answer for one audio stream. The object keeps what a call
 * needs across re-INVITEs: our last SDP (its m= layout and o= version), the
 * peer's, our SRTP keys and the negotiated streams.
 */
#include "config.h"

#include "hail-sdp-negotiation.h"
#include "hail-sdp-negotiation-private.h"
#include "hail-sdp-private.h"
#include "hail-sip-error.h"

#include <openssl/rand.h>
#include <string.h>

/* RFC 4568 tags of the a=crypto lines we offer. */
#define TAG_SHA1_80 1
#define TAG_SHA1_32 2

G_DEFINE_FINAL_TYPE (HailSdpNegotiation, hail_sdp_negotiation, G_TYPE_OBJECT)

static const HailSdpCodec default_codecs[] = {
  { "opus", 48000, 2, 111, "useinbandfec=1" },
  { "G722", 8000, 1, 9, NULL },
  { "PCMU", 8000, 1, 0, NULL },
  { "PCMA", 8000, 1, 8, NULL },
  { "telephone-event", 8000, 1, 101, "0-16" },
};

static void
codec_free (HailSdpLocalCodec *codec)
{
  g_free (codec->encoding);
  g_free (codec->fmtp);
  g_free (codec);
}

gboolean
_hail_sdp_is_telephone_event (const char *encoding)
{
  return g_ascii_strcasecmp (encoding, "telephone-event") == 0;
}

GBytes *
_hail_sdp_negotiation_ensure_key (HailSdpNegotiation *self,
                                  HailSdpCryptoSuite  suite,
                                  GError            **error)
{
  /* One key per suite for the whole call: re-offers then stay identical
   * unless something else changes (RFC 3264 §8 versioning). */
  if (self->keys[suite] == NULL)
    self->keys[suite] = hail_sdp_crypto_generate_key (error);
  return self->keys[suite];
}

const HailSdpConnection *
_hail_sdp_resolve_connection (const HailSdpSession *session,
                              const HailSdpMedia   *media)
{
  const HailSdpConnection *conn = hail_sdp_media_get_connection (media);

  return conn != NULL ? conn : hail_sdp_session_get_connection (session);
}

/* RFC 3264 §8.4 and RFC 2543: c=0.0.0.0 means "do not send to me". */
gboolean
_hail_sdp_connection_is_null (const HailSdpConnection *conn)
{
  return g_str_equal (conn->address, "0.0.0.0") || g_str_equal (conn->address, "::");
}

HailSdpSession *
_hail_sdp_negotiation_new_session (HailSdpNegotiation *self)
{
  return hail_sdp_session_new ("-", self->sess_id, self->version, self->address);
}

/* Sets the o= version of @session, which is about to be sent: the last
 * one, plus one if anything else differs (RFC 3264 §8). */
void
_hail_sdp_negotiation_stamp_version (HailSdpNegotiation *self,
                                     HailSdpSession     *session)
{
  hail_sdp_session_set_version (session, self->version);
  if (self->last_sent != NULL && !hail_sdp_session_equal (session, self->last_sent))
    {
      self->version++;
      hail_sdp_session_set_version (session, self->version);
    }
  g_clear_pointer (&self->last_sent, hail_sdp_session_unref);
  self->last_sent = hail_sdp_session_ref (session);
}

void
_hail_sdp_negotiation_add_rejected (HailSdpSession     *session,
                                    const HailSdpMedia *from)
{
  HailSdpMedia *m = hail_sdp_session_add_media (session, from->media, 0, from->proto);

  for (guint i = 0; i < from->formats->len; i++)
    hail_sdp_media_add_format (m, g_ptr_array_index (from->formats, i));
}

static gboolean
add_offer_cryptos (HailSdpNegotiation *self,
                   HailSdpMedia       *m,
                   GError            **error)
{
  GBytes *k80, *k32;

  if (self->srtp == HAIL_SDP_SRTP_NONE)
    return TRUE;
  k80 = _hail_sdp_negotiation_ensure_key (self, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80,
                                          error);
  if (k80 == NULL)
    return FALSE;
  k32 = _hail_sdp_negotiation_ensure_key (self, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32,
                                          error);
  if (k32 == NULL)
    return FALSE;
  hail_sdp_media_add_crypto (m, TAG_SHA1_80, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80, k80);
  hail_sdp_media_add_crypto (m, TAG_SHA1_32, HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32, k32);
  return TRUE;
}

/* The direction to offer: RFC 3264 §8.4 holds a sendrecv stream with
 * sendonly and a recvonly one with inactive. */
static HailSdpDirection
offer_direction (HailSdpNegotiation *self)
{
  const HailSdpStream *prev = NULL;

  if (!self->hold)
    return HAIL_SDP_DIRECTION_SENDRECV;
  if (self->streams->len > 0)
    prev = g_ptr_array_index (self->streams, 0);
  if (prev != NULL && prev->direction == HAIL_SDP_DIRECTION_RECVONLY)
    return HAIL_SDP_DIRECTION_INACTIVE;
  return HAIL_SDP_DIRECTION_SENDONLY;
}

static gboolean
same_codec (const HailSdpLocalCodec *codec,
            const HailSdpRtpmap     *rtpmap)
{
  return g_ascii_strcasecmp (codec->encoding, rtpmap->encoding) == 0
         && codec->clock_rate == rtpmap->clock_rate && codec->channels == rtpmap->channels;
}

/* The payload type for each codec. RFC 3264 §8.3.2: a dynamic number
 * keeps its format for the whole session, so a re-offer reuses what the
 * last exchange (at m= line @audio) gave our codecs and avoids numbers it
 * gave to other formats. */
static void
choose_payload_types (HailSdpNegotiation *self,
                      int                 audio,
                      guint8             *pts)
{
  g_autoptr(GPtrArray) used = NULL;
  HailSdpSession *sessions[] = { self->local, self->remote };
  gboolean taken[128] = { FALSE };

  used = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sdp_rtpmap_free);
  for (guint s = 0; s < G_N_ELEMENTS (sessions) && audio >= 0; s++)
    {
      const HailSdpMedia *m;

      if (sessions[s] == NULL || (guint) audio >= hail_sdp_session_get_n_media (sessions[s]))
        continue;
      m = hail_sdp_session_get_media (sessions[s], (guint) audio);
      for (guint i = 0; i < m->formats->len; i++)
        {
          guint64 pt = g_ascii_strtoull (g_ptr_array_index (m->formats, i), NULL, 10);
          HailSdpRtpmap *rtpmap = pt < 128 ? hail_sdp_media_dup_rtpmap (m, (guint8) pt) : NULL;

          if (rtpmap != NULL)
            {
              taken[rtpmap->payload_type] = TRUE;
              g_ptr_array_add (used, rtpmap);
            }
        }
    }

  for (guint i = 0; i < self->codecs->len; i++)
    {
      const HailSdpLocalCodec *c = g_ptr_array_index (self->codecs, i);
      int pt = -1;

      for (guint j = 0; j < used->len && pt < 0; j++)
        if (same_codec (c, g_ptr_array_index (used, j)))
          pt = ((HailSdpRtpmap *) g_ptr_array_index (used, j))->payload_type;
      if (pt < 0 && !taken[c->payload_type])
        pt = c->payload_type;
      for (guint n = 96; n < 128 && pt < 0; n++)
        if (!taken[n])
          pt = (int) n;
      /* All 32 dynamic numbers spoken for: keep ours and let the peer cope. */
      pts[i] = pt >= 0 ? (guint8) pt : c->payload_type;
      taken[pts[i]] = TRUE;
    }
}

/* The transport of our audio m= line: the one already in use when the
 * policy still allows it (a re-offer should not switch RTP/SAVP to
 * best-effort RTP/AVP), else the policy's. Optional SRTP is "best effort"
 * (as Linphone and baresip do): RTP/AVP with a=crypto, so that peers
 * without SRTP still answer. */
static const char *
offer_proto (HailSdpNegotiation *self,
             int                 audio)
{
  const HailSdpMedia *prev = NULL;

  if (self->local != NULL && audio >= 0)
    prev = hail_sdp_session_get_media (self->local, (guint) audio);
  if (prev != NULL && prev->port != 0 && self->srtp != HAIL_SDP_SRTP_NONE
      && (g_str_equal (prev->proto, "RTP/SAVP") || g_str_equal (prev->proto, "RTP/SAVPF")))
    return prev->proto;
  if (prev != NULL && prev->port != 0 && self->srtp != HAIL_SDP_SRTP_REQUIRED
      && g_str_equal (prev->proto, "RTP/AVPF"))
    return prev->proto;
  return self->srtp == HAIL_SDP_SRTP_REQUIRED ? "RTP/SAVP" : "RTP/AVP";
}

/* Adds our audio m= line; @audio is its index in the last exchange, or -1. */
static gboolean
add_audio_offer (HailSdpNegotiation *self,
                 HailSdpSession     *session,
                 int                 audio,
                 GError            **error)
{
  g_autofree guint8 *pts = g_new0 (guint8, self->codecs->len);
  HailSdpMedia *m;
  char pt[4];

  choose_payload_types (self, audio, pts);
  m = hail_sdp_session_add_media (session, "audio", self->port, offer_proto (self, audio));
  for (guint i = 0; i < self->codecs->len; i++)
    {
      g_snprintf (pt, sizeof pt, "%u", pts[i]);
      hail_sdp_media_add_format (m, pt);
    }
  for (guint i = 0; i < self->codecs->len; i++)
    {
      const HailSdpLocalCodec *c = g_ptr_array_index (self->codecs, i);

      hail_sdp_media_add_rtpmap (m, pts[i], c->encoding, c->clock_rate, c->channels);
      if (c->fmtp != NULL)
        {
          g_snprintf (pt, sizeof pt, "%u", pts[i]);
          hail_sdp_media_add_fmtp (m, pt, c->fmtp);
        }
    }
  hail_sdp_media_set_ptime (m, self->ptime);
  if (self->rtcp_mux)
    hail_sdp_media_add_attribute (m, "rtcp-mux", NULL);
  if (!add_offer_cryptos (self, m, error))
    return FALSE;
  hail_sdp_media_set_direction (m, offer_direction (self));
  return TRUE;
}

/* The index of our audio stream in @layout: the first active audio m=
 * line, else the first audio one, else -1. */
static int
audio_index (const HailSdpSession *layout)
{
  int first = -1;

  for (guint i = 0; i < hail_sdp_session_get_n_media (layout); i++)
    {
      const HailSdpMedia *m = hail_sdp_session_get_media (layout, i);

      if (!g_str_equal (m->media, "audio"))
        continue;
      if (m->port != 0)
        return (int) i;
      if (first < 0)
        first = (int) i;
    }
  return first;
}

void
hail_sdp_stream_free (HailSdpStream *stream)
{
  if (stream == NULL)
    return;
  g_free (stream->codec);
  g_free (stream->fmtp);
  g_free (stream->remote_address);
  g_free (stream->remote_rtcp_address);
  g_clear_pointer (&stream->srtp_local_key, g_bytes_unref);
  g_clear_pointer (&stream->srtp_remote_key, g_bytes_unref);
  g_free (stream);
}

/* Fills the peer's transport addresses of @stream from @media. */
gboolean
_hail_sdp_stream_set_remote (HailSdpStream        *stream,
                             const HailSdpSession *session,
                             const HailSdpMedia   *media,
                             GError              **error)
{
  const HailSdpConnection *conn = _hail_sdp_resolve_connection (session, media);
  g_autoptr(HailSdpRtcp) rtcp = NULL;

  if (conn == NULL)
    return _hail_sdp_malformed (error, "m= line %u has no c= line at media or session level",
                                stream->index + 1);
  stream->remote_address = g_strdup (conn->address);
  stream->remote_port = media->port;
  /* RFC 3605: a=rtcp, else the next port up (RFC 3550 §11). */
  rtcp = hail_sdp_media_dup_rtcp (media);
  stream->remote_rtcp_port = rtcp != NULL ? rtcp->port : (guint16) (media->port + 1);
  stream->remote_rtcp_address = g_strdup (rtcp != NULL && rtcp->address != NULL
                                          ? rtcp->address : conn->address);
  return TRUE;
}

static void
clear_exchange (HailSdpNegotiation *self)
{
  g_clear_pointer (&self->pending, hail_sdp_session_unref);
}

static void
hail_sdp_negotiation_finalize (GObject *object)
{
  HailSdpNegotiation *self = (HailSdpNegotiation *) object;

  g_free (self->address);
  g_ptr_array_unref (self->codecs);
  g_clear_pointer (&self->last_sent, hail_sdp_session_unref);
  g_clear_pointer (&self->local, hail_sdp_session_unref);
  g_clear_pointer (&self->remote, hail_sdp_session_unref);
  g_clear_pointer (&self->pending, hail_sdp_session_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->keys); i++)
    g_clear_pointer (&self->keys[i], g_bytes_unref);
  g_ptr_array_unref (self->streams);

  G_OBJECT_CLASS (hail_sdp_negotiation_parent_class)->finalize (object);
}

static void
hail_sdp_negotiation_class_init (HailSdpNegotiationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_sdp_negotiation_finalize;
}

static void
hail_sdp_negotiation_init (HailSdpNegotiation *self)
{
  guint64 id = 0;

  self->codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) codec_free);
  self->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sdp_stream_free);
  self->ptime = 20;
  self->srtp = HAIL_SDP_SRTP_NONE;
  /* RFC 8866 §5.2 only wants a unique id; keep it below 2^62 so that peers
   * parsing it as a signed 64-bit number cope. */
  if (RAND_bytes ((unsigned char *) &id, sizeof id) != 1)
    id = (guint64) g_get_real_time ();
  self->sess_id = (id & G_GUINT64_CONSTANT (0x3fffffffffffffff)) | 1;
  self->version = 1;
}

/**
 * hail_sdp_codecs_default:
 *
 * Returns: (array length=n_codecs): Hail's codecs by preference: opus,
 * G.722, PCMU, PCMA, then telephone-event for DTMF
 */
const HailSdpCodec *
hail_sdp_codecs_default (guint *n_codecs)
{
  g_return_val_if_fail (n_codecs != NULL, NULL);

  *n_codecs = G_N_ELEMENTS (default_codecs);
  return default_codecs;
}

/**
 * hail_sdp_negotiation_error_to_status:
 *
 * The SIP response to send for an offer that failed with @error: 488 Not
 * Acceptable Here when it was understood but cannot be met, else 400.
 */
guint
hail_sdp_negotiation_error_to_status (const GError *error)
{
  g_return_val_if_fail (error != NULL, 500);

  if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED))
    return 488;
  return 400;
}

/**
 * hail_sdp_negotiation_new:
 * @address: our media address, written into o= and c=
 * @port: our RTP port
 *
 * Starts with the default codecs, 20 ms ptime and no SRTP.
 */
HailSdpNegotiation *
hail_sdp_negotiation_new (const char *address,
                          guint16     port)
{
  HailSdpNegotiation *self;
  guint n = 0;
  const HailSdpCodec *codecs = hail_sdp_codecs_default (&n);

  g_return_val_if_fail (address != NULL && *address != '\0', NULL);
  g_return_val_if_fail (port != 0, NULL);

  self = g_object_new (HAIL_TYPE_SDP_NEGOTIATION, NULL);
  self->address = g_strdup (address);
  self->port = port;
  hail_sdp_negotiation_set_codecs (self, codecs, n);
  return self;
}

void
hail_sdp_negotiation_set_local (HailSdpNegotiation *self,
                                const char         *address,
                                guint16             port)
{
  g_return_if_fail (HAIL_IS_SDP_NEGOTIATION (self));
  g_return_if_fail (address != NULL && *address != '\0');
  g_return_if_fail (port != 0);

  g_free (self->address);
  self->address = g_strdup (address);
  self->port = port;
}

void
hail_sdp_negotiation_set_codecs (HailSdpNegotiation *self,
                                 const HailSdpCodec *codecs,
                                 guint               n_codecs)
{
  g_return_if_fail (HAIL_IS_SDP_NEGOTIATION (self));
  g_return_if_fail (codecs != NULL && n_codecs > 0);

  g_ptr_array_set_size (self->codecs, 0);
  for (guint i = 0; i < n_codecs; i++)
    {
      HailSdpLocalCodec *c = g_new0 (HailSdpLocalCodec, 1);

      g_return_if_fail (codecs[i].encoding != NULL && codecs[i].payload_type <= 127);
      c->encoding = g_strdup (codecs[i].encoding);
      c->clock_rate = codecs[i].clock_rate;
      c->channels = MAX (codecs[i].channels, 1);
      c->payload_type = codecs[i].payload_type;
      c->fmtp = g_strdup (codecs[i].fmtp);
      g_ptr_array_add (self->codecs, c);
    }
}

void
hail_sdp_negotiation_set_ptime (HailSdpNegotiation *self,
                                guint               ptime)
{
  g_return_if_fail (HAIL_IS_SDP_NEGOTIATION (self));
  g_return_if_fail (ptime > 0 && ptime <= 1000);

  self->ptime = ptime;
}

void
hail_sdp_negotiation_set_srtp_policy (HailSdpNegotiation *self,
                                      HailSdpSrtpPolicy   policy)
{
  g_return_if_fail (HAIL_IS_SDP_NEGOTIATION (self));
  g_return_if_fail (policy <= HAIL_SDP_SRTP_REQUIRED);

  self->srtp = policy;
}

/* Whether to offer, and accept, RTP and RTCP on one port (RFC 5761). */
void
hail_sdp_negotiation_set_rtcp_mux (HailSdpNegotiation *self,
                                   gboolean            rtcp_mux)
{
  g_return_if_fail (HAIL_IS_SDP_NEGOTIATION (self));

  self->rtcp_mux = !!rtcp_mux;
}

/* Holding affects the next offer or answer; send a re-INVITE to apply it. */
void
hail_sdp_negotiation_set_hold (HailSdpNegotiation *self,
                               gboolean            hold)
{
  g_return_if_fail (HAIL_IS_SDP_NEGOTIATION (self));

  self->hold = !!hold;
}

gboolean
hail_sdp_negotiation_get_hold (HailSdpNegotiation *self)
{
  g_return_val_if_fail (HAIL_IS_SDP_NEGOTIATION (self), FALSE);

  return self->hold;
}

/**
 * hail_sdp_negotiation_create_offer:
 *
 * Writes an offer (or re-offer: same m= lines as before, rejected ones with
 * port 0) from our capabilities and hold state. It stays pending until
 * process_answer() or rollback().
 *
 * Returns: (transfer full): the offer to send
 */
HailSdpSession *
hail_sdp_negotiation_create_offer (HailSdpNegotiation *self,
                                   GError            **error)
{
  g_autoptr(HailSdpSession) offer = NULL;
  int audio = -1;

  g_return_val_if_fail (HAIL_IS_SDP_NEGOTIATION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  offer = _hail_sdp_negotiation_new_session (self);
  if (self->local != NULL)
    audio = audio_index (self->local);
  /* RFC 3264 §8: a re-offer keeps every m= line, in order. */
  for (guint i = 0; self->local != NULL && i < hail_sdp_session_get_n_media (self->local); i++)
    {
      if ((int) i == audio)
        {
          if (!add_audio_offer (self, offer, audio, error))
            return NULL;
        }
      else
        _hail_sdp_negotiation_add_rejected (offer, hail_sdp_session_get_media (self->local, i));
    }
  if (audio < 0 && !add_audio_offer (self, offer, -1, error))
    return NULL;

  _hail_sdp_negotiation_stamp_version (self, offer);
  g_clear_pointer (&self->pending, hail_sdp_session_unref);
  self->pending = hail_sdp_session_ref (offer);
  return g_steal_pointer (&offer);
}

/* Drops the pending offer (the peer refused the re-INVITE, say): the last
 * completed exchange stays in force. */
void
hail_sdp_negotiation_rollback (HailSdpNegotiation *self)
{
  g_return_if_fail (HAIL_IS_SDP_NEGOTIATION (self));

  clear_exchange (self);
}

/* Checks the answer's SRTP against our offer and keys @stream. */
static gboolean
accept_answer_crypto (HailSdpNegotiation *self,
                      const HailSdpMedia *offered,
                      const HailSdpMedia *answered,
                      HailSdpStream      *stream,
                      GError            **error)
{
  g_autoptr(GPtrArray) cryptos = hail_sdp_media_dup_cryptos (answered);
  gboolean savp = strstr (offered->proto, "SAVP") != NULL;
  const HailSdpCrypto *crypto;
  const HailSdpCryptoKey *key;

  if (!hail_sdp_media_has_attribute (offered, "crypto"))
    return TRUE;
  if (cryptos->len == 0)
    return !savp || _hail_sdp_unsupported (error, "The answer has no usable a=crypto for RTP/SAVP");
  /* RFC 4568 §5.1.2: exactly one a=crypto, with the tag of an offered one. */
  if (cryptos->len > 1)
    return _hail_sdp_malformed (error, "The answer has %u a=crypto lines", cryptos->len);
  crypto = g_ptr_array_index (cryptos, 0);
  if (!((crypto->tag == TAG_SHA1_80
         && crypto->suite == HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_80)
        || (crypto->tag == TAG_SHA1_32
            && crypto->suite == HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32)))
    return _hail_sdp_malformed (error, "The answer's a=crypto tag %u does not match an offered one",
                                crypto->tag);
  key = g_ptr_array_index (crypto->keys, 0);
  stream->srtp_suite = crypto->suite;
  stream->srtp_local_key = g_bytes_ref (self->keys[crypto->suite]);
  stream->srtp_remote_key = g_bytes_ref (key->key_salt);
  return TRUE;
}

static HailSdpStream *
accept_answer_audio (HailSdpNegotiation   *self,
                     guint                 index,
                     const HailSdpMedia   *offered,
                     const HailSdpSession *answer,
                     const HailSdpMedia   *answered,
                     GError              **error)
{
  g_autoptr(HailSdpStream) stream = g_new0 (HailSdpStream, 1);
  HailSdpDirection ours = hail_sdp_media_get_direction (self->pending, offered);
  HailSdpDirection theirs = hail_sdp_media_get_direction (answer, answered);
  const HailSdpConnection *conn;

  stream->index = index;
  stream->telephone_event_pt = -1;
  stream->local_port = offered->port;
  if (!g_str_equal (offered->proto, answered->proto))
    {
      _hail_sdp_malformed (error, "The answer changes the transport of m= line %u to %s",
                           index + 1, answered->proto);
      return NULL;
    }
  for (guint i = 0; i < answered->formats->len; i++)
    {
      const char *fmt = g_ptr_array_index (answered->formats, i);
      g_autoptr(HailSdpRtpmap) rtpmap = NULL;

      /* RFC 3264 §6.1: the answer lists a subset of the offer's formats,
       * with the offer's payload type numbers. */
      if (!hail_sdp_media_has_format (offered, fmt))
        {
          _hail_sdp_malformed (error, "The answer's format %s was not offered", fmt);
          return NULL;
        }
      rtpmap = hail_sdp_media_dup_rtpmap (offered, (guint8) g_ascii_strtoull (fmt, NULL, 10));
      if (rtpmap == NULL)
        continue;
      if (_hail_sdp_is_telephone_event (rtpmap->encoding))
        {
          if (stream->telephone_event_pt < 0)
            {
              stream->telephone_event_pt = rtpmap->payload_type;
              stream->telephone_event_clock_rate = rtpmap->clock_rate;
            }
        }
      else if (stream->codec == NULL)
        {
          const char *fmtp = hail_sdp_media_get_fmtp (answered, fmt);

          stream->codec = g_strdup (rtpmap->encoding);
          stream->payload_type = rtpmap->payload_type;
          stream->clock_rate = rtpmap->clock_rate;
          stream->channels = rtpmap->channels;
          stream->fmtp = g_strdup (fmtp);
        }
    }
  if (stream->codec == NULL)
    {
      _hail_sdp_unsupported (error, "The answer accepts no audio codec");
      return NULL;
    }
  /* RFC 3264 §6.1: the answer may only send what we receive and vice versa. */
  if ((theirs & ~hail_sdp_direction_reverse (ours)) != 0)
    {
      _hail_sdp_malformed (error, "The answer's %s does not fit the offered %s",
                           hail_sdp_direction_to_string (theirs),
                           hail_sdp_direction_to_string (ours));
      return NULL;
    }
  stream->direction = hail_sdp_direction_reverse (theirs);
  if (!_hail_sdp_stream_set_remote (stream, answer, answered, error))
    return NULL;
  conn = _hail_sdp_resolve_connection (answer, answered);
  if (_hail_sdp_connection_is_null (conn))
    stream->direction &= HAIL_SDP_DIRECTION_RECVONLY;
  stream->ptime = hail_sdp_media_get_ptime (answered);
  if (stream->ptime == 0)
    stream->ptime = self->ptime;
  stream->rtcp_mux = self->rtcp_mux && hail_sdp_media_get_rtcp_mux (answered);
  if (!accept_answer_crypto (self, offered, answered, stream, error))
    return NULL;
  return g_steal_pointer (&stream);
}

/**
 * hail_sdp_negotiation_process_answer:
 *
 * Checks the peer's answer against our pending offer (same m= lines, a
 * subset of our formats, a fitting direction and SRTP) and, when it holds,
 * makes its result the negotiated streams.
 *
 * Returns: TRUE when an audio stream was agreed
 */
gboolean
hail_sdp_negotiation_process_answer (HailSdpNegotiation *self,
                                     HailSdpSession     *answer,
                                     GError            **error)
{
  g_autoptr(GPtrArray) streams = NULL;
  guint n;

  g_return_val_if_fail (HAIL_IS_SDP_NEGOTIATION (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->pending == NULL)
    return _hail_sdp_malformed (error, "An SDP answer came without an offer");
  n = hail_sdp_session_get_n_media (self->pending);
  if (hail_sdp_session_get_n_media (answer) != n)
    {
      _hail_sdp_malformed (error, "The answer has %u m= lines for the %u offered",
                           hail_sdp_session_get_n_media (answer), n);
      clear_exchange (self);
      return FALSE;
    }

  streams = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sdp_stream_free);
  for (guint i = 0; i < n; i++)
    {
      const HailSdpMedia *offered = hail_sdp_session_get_media (self->pending, i);
      const HailSdpMedia *answered = hail_sdp_session_get_media (answer, i);
      HailSdpStream *stream;

      if (!g_str_equal (offered->media, answered->media))
        {
          _hail_sdp_malformed (error, "The answer's m= line %u is %s, not %s",
                               i + 1, answered->media, offered->media);
          clear_exchange (self);
          return FALSE;
        }
      if (offered->port == 0 || answered->port == 0 || !g_str_equal (offered->media, "audio"))
        continue;
      stream = accept_answer_audio (self, i, offered, answer, answered, error);
      if (stream == NULL)
        {
          clear_exchange (self);
          return FALSE;
        }
      g_ptr_array_add (streams, stream);
    }
  if (streams->len == 0)
    {
      clear_exchange (self);
      return _hail_sdp_unsupported (error, "The answer rejects the audio stream");
    }

  g_clear_pointer (&self->local, hail_sdp_session_unref);
  self->local = g_steal_pointer (&self->pending);
  g_clear_pointer (&self->remote, hail_sdp_session_unref);
  self->remote = hail_sdp_session_ref (answer);
  g_ptr_array_unref (self->streams);
  self->streams = g_steal_pointer (&streams);
  return TRUE;
}

/**
 * hail_sdp_negotiation_get_streams:
 *
 * Returns: (transfer none) (element-type HailSdpStream): the streams of the
 * last completed exchange; empty before one
 */
const GPtrArray *
hail_sdp_negotiation_get_streams (HailSdpNegotiation *self)
{
  g_return_val_if_fail (HAIL_IS_SDP_NEGOTIATION (self), NULL);

  return self->streams;
}

/* Returns: (transfer none) (nullable): our SDP of the last exchange. */
HailSdpSession *
hail_sdp_negotiation_get_local (HailSdpNegotiation *self)
{
  g_return_val_if_fail (HAIL_IS_SDP_NEGOTIATION (self), NULL);

  return self->local;
}

/* Returns: (transfer none) (nullable): the peer's SDP of the last exchange. */
HailSdpSession *
hail_sdp_negotiation_get_remote (HailSdpNegotiation *self)
{
  g_return_val_if_fail (HAIL_IS_SDP_NEGOTIATION (self), NULL);

  return self->remote;
}
