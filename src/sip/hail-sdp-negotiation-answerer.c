/* hail-sdp-negotiation-answerer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answerer's half of RFC 3264 (§6): choosing from the peer's offer.
 */
#include "config.h"

#include "hail-sdp-negotiation.h"
#include "hail-sdp-negotiation-private.h"
#include "hail-sdp-private.h"
#include "hail-sip-error.h"

#include <string.h>

static gboolean
is_rtp_audio_proto (const char *proto,
                    gboolean   *srtp)
{
  *srtp = g_str_equal (proto, "RTP/SAVP") || g_str_equal (proto, "RTP/SAVPF");
  return *srtp || g_str_equal (proto, "RTP/AVP") || g_str_equal (proto, "RTP/AVPF");
}

static const HailSdpLocalCodec *
find_local_codec (HailSdpNegotiation  *self,
                  const HailSdpRtpmap *rtpmap)
{
  for (guint i = 0; i < self->codecs->len; i++)
    {
      const HailSdpLocalCodec *c = g_ptr_array_index (self->codecs, i);

      if (g_ascii_strcasecmp (c->encoding, rtpmap->encoding) == 0
          && c->clock_rate == rtpmap->clock_rate && c->channels == rtpmap->channels)
        return c;
    }
  return NULL;
}

/* Picks the offer's first a=crypto we support; NULL if none. */
static const HailSdpCrypto *
choose_crypto (const GPtrArray *cryptos)
{
  for (guint i = 0; i < cryptos->len; i++)
    {
      const HailSdpCrypto *crypto = g_ptr_array_index (cryptos, i);

      if (crypto->suite != HAIL_SDP_CRYPTO_SUITE_UNKNOWN)
        return crypto;
    }
  return NULL;
}

static const HailSdpLocalCodec *
local_events (HailSdpNegotiation *self)
{
  for (guint i = 0; i < self->codecs->len; i++)
    {
      const HailSdpLocalCodec *c = g_ptr_array_index (self->codecs, i);

      if (_hail_sdp_is_telephone_event (c->encoding))
        return c;
    }
  return NULL;
}

/* What we take from one offered audio m= line. */
typedef struct {
  const HailSdpLocalCodec *codec;
  HailSdpRtpmap           *rtpmap;   /* the offer's, with its payload type */
  HailSdpRtpmap           *event;    /* the offer's telephone-event, or NULL */
  GPtrArray               *cryptos;  /* the offer's a=crypto lines */
  const HailSdpCrypto     *crypto;   /* the one we answer, or NULL */
} Choice;

static void
choice_clear (Choice *choice)
{
  g_clear_pointer (&choice->rtpmap, hail_sdp_rtpmap_free);
  g_clear_pointer (&choice->event, hail_sdp_rtpmap_free);
  g_clear_pointer (&choice->cryptos, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Choice, choice_clear)

/* RFC 3264 §6.1: the first of OUR codecs the offer also has, under the
 * offer's payload type; and telephone-event, preferably at its rate. */
static gboolean
choose_codec (HailSdpNegotiation *self,
              const HailSdpMedia *offered,
              Choice             *choice)
{
  gboolean want_events = local_events (self) != NULL;

  for (guint i = 0; i < self->codecs->len && choice->codec == NULL; i++)
    {
      const HailSdpLocalCodec *c = g_ptr_array_index (self->codecs, i);

      if (_hail_sdp_is_telephone_event (c->encoding))
        continue;
      for (guint j = 0; j < offered->formats->len; j++)
        {
          const char *fmt = g_ptr_array_index (offered->formats, j);
          g_autoptr(HailSdpRtpmap) rtpmap = NULL;

          rtpmap = hail_sdp_media_dup_rtpmap (offered, (guint8) g_ascii_strtoull (fmt, NULL, 10));
          if (rtpmap != NULL && find_local_codec (self, rtpmap) == c)
            {
              choice->codec = c;
              choice->rtpmap = g_steal_pointer (&rtpmap);
              break;
            }
        }
    }
  if (choice->codec == NULL)
    return FALSE;

  for (guint j = 0; want_events && j < offered->formats->len; j++)
    {
      const char *fmt = g_ptr_array_index (offered->formats, j);
      HailSdpRtpmap *rtpmap;

      rtpmap = hail_sdp_media_dup_rtpmap (offered, (guint8) g_ascii_strtoull (fmt, NULL, 10));
      if (rtpmap == NULL || !_hail_sdp_is_telephone_event (rtpmap->encoding))
        {
          hail_sdp_rtpmap_free (rtpmap);
          continue;
        }
      if (choice->event == NULL || (choice->event->clock_rate != choice->rtpmap->clock_rate
                                    && rtpmap->clock_rate == choice->rtpmap->clock_rate))
        {
          hail_sdp_rtpmap_free (choice->event);
          choice->event = rtpmap;
        }
      else
        hail_sdp_rtpmap_free (rtpmap);
    }
  return TRUE;
}

static void
add_answer_format (HailSdpMedia        *m,
                   const HailSdpRtpmap *rtpmap,
                   const char          *fmtp)
{
  char pt[4];

  g_snprintf (pt, sizeof pt, "%u", rtpmap->payload_type);
  hail_sdp_media_add_rtpmap (m, rtpmap->payload_type, rtpmap->encoding,
                             rtpmap->clock_rate, rtpmap->channels);
  if (fmtp != NULL)
    hail_sdp_media_add_fmtp (m, pt, fmtp);
}

/* Fills @choice from an offered audio m= line, or returns why we must
 * reject it (a 488 cause). */
static const char *
choose (HailSdpNegotiation *self,
        const HailSdpMedia *offered,
        Choice             *choice)
{
  gboolean savp;

  if (!is_rtp_audio_proto (offered->proto, &savp))
    return "The offer's audio transport is not RTP/AVP or RTP/SAVP";
  if (savp && self->srtp == HAIL_SDP_SRTP_NONE)
    return "The offer requires SRTP, which is turned off";
  choice->cryptos = hail_sdp_media_dup_cryptos (offered);
  if (self->srtp != HAIL_SDP_SRTP_NONE)
    choice->crypto = choose_crypto (choice->cryptos);
  if (savp && choice->crypto == NULL)
    return "The offer's RTP/SAVP has no a=crypto suite we support";
  /* Best-effort a=crypto on RTP/AVP would do, but RFC 4568 §7.5 lets the
   * peer fall back to plain RTP, which "required" forbids. */
  if (self->srtp == HAIL_SDP_SRTP_REQUIRED && !savp)
    return "SRTP is required, but the offer is plain RTP";
  if (!choose_codec (self, offered, choice))
    return "The offer has no codec in common with ours";
  return NULL;
}

/* Writes the answer's m= line for the accepted @stream. */
static void
add_answer_media (HailSdpNegotiation  *self,
                  HailSdpSession      *answer,
                  const HailSdpMedia  *offered,
                  const Choice        *choice,
                  const HailSdpStream *stream)
{
  HailSdpMedia *m = hail_sdp_session_add_media (answer, "audio", self->port, offered->proto);
  char pt[4];

  g_snprintf (pt, sizeof pt, "%u", choice->rtpmap->payload_type);
  hail_sdp_media_add_format (m, pt);
  if (choice->event != NULL)
    {
      g_snprintf (pt, sizeof pt, "%u", choice->event->payload_type);
      hail_sdp_media_add_format (m, pt);
    }
  add_answer_format (m, choice->rtpmap, choice->codec->fmtp);
  if (choice->event != NULL)
    add_answer_format (m, choice->event, local_events (self)->fmtp);
  hail_sdp_media_set_ptime (m, self->ptime);
  if (stream->rtcp_mux)
    hail_sdp_media_add_attribute (m, "rtcp-mux", NULL);
  /* RFC 4568 §5.1.2: the offer's tag and suite, our own key. */
  if (choice->crypto != NULL)
    hail_sdp_media_add_crypto (m, choice->crypto->tag, choice->crypto->suite,
                               stream->srtp_local_key);
  hail_sdp_media_set_direction (m, stream->direction);
}

/* Answers one offered audio m= line into @answer, or sets @reason (a 488
 * cause) and returns NULL for the caller to reject it. */
static HailSdpStream *
answer_audio (HailSdpNegotiation   *self,
              guint                 index,
              const HailSdpSession *offer,
              const HailSdpMedia   *offered,
              HailSdpSession       *answer,
              const char          **reason,
              GError              **error)
{
  g_autoptr(HailSdpStream) stream = NULL;
  g_auto(Choice) choice = { NULL, NULL, NULL, NULL, NULL };
  HailSdpDirection offered_dir;
  char pt[4];

  *reason = choose (self, offered, &choice);
  if (*reason != NULL)
    return NULL;

  stream = g_new0 (HailSdpStream, 1);
  stream->index = index;
  stream->local_port = self->port;
  stream->codec = g_strdup (choice.rtpmap->encoding);
  stream->payload_type = choice.rtpmap->payload_type;
  stream->clock_rate = choice.rtpmap->clock_rate;
  stream->channels = choice.rtpmap->channels;
  g_snprintf (pt, sizeof pt, "%u", choice.rtpmap->payload_type);
  stream->fmtp = g_strdup (hail_sdp_media_get_fmtp (offered, pt));
  stream->telephone_event_pt = choice.event != NULL ? choice.event->payload_type : -1;
  stream->telephone_event_clock_rate = choice.event != NULL ? choice.event->clock_rate : 0;
  stream->ptime = hail_sdp_media_get_ptime (offered);
  if (stream->ptime == 0)
    stream->ptime = self->ptime;
  if (!_hail_sdp_stream_set_remote (stream, offer, offered, error))
    return NULL;

  /* RFC 3264 §6.1: sendonly gets recvonly, recvonly gets sendonly,
   * inactive stays; then our own hold takes away receiving. */
  offered_dir = hail_sdp_media_get_direction (offer, offered);
  if (_hail_sdp_connection_is_null (_hail_sdp_resolve_connection (offer, offered)))
    offered_dir &= HAIL_SDP_DIRECTION_SENDONLY;
  stream->direction = hail_sdp_direction_reverse (offered_dir)
                      & (self->hold ? HAIL_SDP_DIRECTION_SENDONLY : HAIL_SDP_DIRECTION_SENDRECV);
  stream->rtcp_mux = self->rtcp_mux && hail_sdp_media_get_rtcp_mux (offered);

  if (choice.crypto != NULL)
    {
      const HailSdpCryptoKey *key = g_ptr_array_index (choice.crypto->keys, 0);
      GBytes *ours = _hail_sdp_negotiation_ensure_key (self, choice.crypto->suite, error);

      if (ours == NULL)
        return NULL;
      stream->srtp_suite = choice.crypto->suite;
      stream->srtp_local_key = g_bytes_ref (ours);
      stream->srtp_remote_key = g_bytes_ref (key->key_salt);
    }
  add_answer_media (self, answer, offered, &choice, stream);
  return g_steal_pointer (&stream);
}

/**
 * hail_sdp_negotiation_create_answer:
 * @offer: the peer's offer (or re-offer)
 *
 * Answers @offer (RFC 3264 §6): the same m= lines in the same order, our
 * audio stream in the first acceptable audio line and port 0 for the rest.
 * On failure nothing changes, and hail_sdp_negotiation_error_to_status()
 * gives the response: 400 for a broken offer, 488 for one we cannot meet
 * (no common codec, SRTP required but not offered, ...).
 *
 * Returns: (transfer full): the answer to send
 */
HailSdpSession *
hail_sdp_negotiation_create_answer (HailSdpNegotiation *self,
                                    HailSdpSession     *offer,
                                    GError            **error)
{
  g_autoptr(HailSdpSession) answer = NULL;
  g_autoptr(GPtrArray) streams = NULL;
  const char *reason = NULL;
  guint n;

  g_return_val_if_fail (HAIL_IS_SDP_NEGOTIATION (self), NULL);
  g_return_val_if_fail (offer != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n = hail_sdp_session_get_n_media (offer);
  /* RFC 3264 §8: a re-offer never has fewer m= lines than before. */
  if (self->remote != NULL && self->local != NULL
      && n < hail_sdp_session_get_n_media (self->local))
    {
      _hail_sdp_malformed (error, "The re-offer has %u m= lines, fewer than the %u before",
                           n, hail_sdp_session_get_n_media (self->local));
      return NULL;
    }

  answer = _hail_sdp_negotiation_new_session (self);
  streams = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sdp_stream_free);
  for (guint i = 0; i < n; i++)
    {
      const HailSdpMedia *offered = hail_sdp_session_get_media (offer, i);
      HailSdpStream *stream = NULL;
      const char *why = g_str_equal (offered->media, "audio") ? "one audio stream is enough"
                                                                : "not an audio stream";

      if (offered->port != 0 && streams->len == 0 && g_str_equal (offered->media, "audio"))
        {
          g_autoptr(GError) local = NULL;

          stream = answer_audio (self, i, offer, offered, answer, &reason, &local);
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return NULL;
            }
          why = reason;
        }
      if (stream != NULL)
        {
          g_ptr_array_add (streams, stream);
          continue;
        }
      if (offered->port != 0)
        g_debug ("SDP answer rejects m= line %u (%s): %s", i + 1, offered->media, why);
      _hail_sdp_negotiation_add_rejected (answer, offered);
    }
  if (streams->len == 0 && n > 0)
    {
      _hail_sdp_unsupported (error, reason != NULL ? reason : "The offer has no audio stream");
      return NULL;
    }

  _hail_sdp_negotiation_stamp_version (self, answer);
  g_clear_pointer (&self->pending, hail_sdp_session_unref);
  g_clear_pointer (&self->local, hail_sdp_session_unref);
  self->local = hail_sdp_session_ref (answer);
  g_clear_pointer (&self->remote, hail_sdp_session_unref);
  self->remote = hail_sdp_session_ref (offer);
  g_ptr_array_unref (self->streams);
  self->streams = g_steal_pointer (&streams);
  return g_steal_pointer (&answer);
}
