/* hail-sdp-negotiation-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by hail-sdp-negotiation.c (the object, offers, answers to our
 * offers) and hail-sdp-negotiation-answerer.c (answering the peer's offers).
 */
#pragma once

#include "hail-sdp-negotiation.h"

G_BEGIN_DECLS

typedef struct {
  char    *encoding;
  guint    clock_rate;
  guint    channels;
  guint8   payload_type;
  char    *fmtp;
} HailSdpLocalCodec;

struct _HailSdpNegotiation
{
  GObject            parent_instance;

  /* Local capabilities. */
  char              *address;
  guint16            port;
  GPtrArray         *codecs;        /* of HailSdpLocalCodec *, by preference */
  guint              ptime;
  HailSdpSrtpPolicy  srtp;
  gboolean           rtcp_mux;
  gboolean           hold;

  /* State across offers and answers. */
  guint64            sess_id;
  guint64            version;       /* of last_sent */
  HailSdpSession    *last_sent;     /* any SDP we sent, for o= versions */
  HailSdpSession    *local;         /* our side of the last completed exchange */
  HailSdpSession    *remote;        /* the peer's side of it */
  HailSdpSession    *pending;       /* our offer awaiting its answer */
  GBytes            *keys[HAIL_SDP_CRYPTO_SUITE_AES_CM_128_HMAC_SHA1_32 + 1];
  GPtrArray         *streams;       /* of HailSdpStream * */
};

HailSdpSession          *_hail_sdp_negotiation_new_session     (HailSdpNegotiation *self);
void                     _hail_sdp_negotiation_stamp_version   (HailSdpNegotiation *self,
                                                                HailSdpSession     *session);
GBytes                  *_hail_sdp_negotiation_ensure_key      (HailSdpNegotiation *self,
                                                                HailSdpCryptoSuite  suite,
                                                                GError            **error);
void                     _hail_sdp_negotiation_add_rejected    (HailSdpSession     *session,
                                                                const HailSdpMedia *from);
gboolean                 _hail_sdp_stream_set_remote           (HailSdpStream        *stream,
                                                                const HailSdpSession *session,
                                                                const HailSdpMedia   *media,
                                                                GError              **error);
const HailSdpConnection *_hail_sdp_resolve_connection          (const HailSdpSession *session,
                                                                const HailSdpMedia   *media);
gboolean                 _hail_sdp_connection_is_null          (const HailSdpConnection *conn);
gboolean                 _hail_sdp_is_telephone_event          (const char *encoding);

G_END_DECLS
