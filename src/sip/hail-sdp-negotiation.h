/* hail-sdp-negotiation.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-sdp-attributes.h"
#include "hail-sdp-crypto.h"
#include "hail-sdp-session.h"

G_BEGIN_DECLS

#define HAIL_TYPE_SDP_NEGOTIATION (hail_sdp_negotiation_get_type ())

G_DECLARE_FINAL_TYPE (HailSdpNegotiation, hail_sdp_negotiation, HAIL, SDP_NEGOTIATION, GObject)

typedef enum {
  HAIL_SDP_SRTP_NONE,      /* RTP/AVP, no a=crypto; refuse RTP/SAVP */
  HAIL_SDP_SRTP_OPTIONAL,  /* RTP/AVP with a=crypto; use SRTP if the peer keys it */
  HAIL_SDP_SRTP_REQUIRED,  /* RTP/SAVP only; refuse plain RTP with 488 */
} HailSdpSrtpPolicy;

/* One codec we can send and receive, in order of preference. */
typedef struct {
  const char *encoding;       /* "opus", "telephone-event", ... */
  guint       clock_rate;
  guint       channels;       /* 1 for mono */
  guint8      payload_type;   /* used in our offers; answers keep the offerer's */
  const char *fmtp;           /* our a=fmtp parameters, or NULL */
} HailSdpCodec;

/* The negotiated result for one audio stream, for the media layer. */
typedef struct {
  guint               index;              /* of its m= line */
  char               *codec;              /* encoding name as the peer spelt it */
  guint8              payload_type;
  guint               clock_rate;
  guint               channels;
  char               *fmtp;               /* the peer's a=fmtp for it, or NULL */
  guint               ptime;              /* ms per packet we send */
  int                 telephone_event_pt; /* -1 without RFC 4733 events */
  guint               telephone_event_clock_rate;
  char               *remote_address;
  guint16             remote_port;
  char               *remote_rtcp_address;
  guint16             remote_rtcp_port;
  gboolean            rtcp_mux;
  guint16             local_port;
  HailSdpDirection    direction;          /* ours: SENDONLY means we send only */
  HailSdpCryptoSuite  srtp_suite;         /* UNKNOWN for plain RTP */
  GBytes             *srtp_local_key;     /* key||salt we encrypt with */
  GBytes             *srtp_remote_key;    /* key||salt the peer encrypts with */
} HailSdpStream;

const HailSdpCodec  *hail_sdp_codecs_default              (guint *n_codecs);
void                 hail_sdp_stream_free                 (HailSdpStream *stream);
guint                hail_sdp_negotiation_error_to_status (const GError  *error);

HailSdpNegotiation  *hail_sdp_negotiation_new             (const char    *address,
                                                           guint16        port)
                                                           G_GNUC_WARN_UNUSED_RESULT;
void                 hail_sdp_negotiation_set_local       (HailSdpNegotiation *self,
                                                           const char         *address,
                                                           guint16             port);
void                 hail_sdp_negotiation_set_codecs      (HailSdpNegotiation *self,
                                                           const HailSdpCodec *codecs,
                                                           guint               n_codecs);
void                 hail_sdp_negotiation_set_ptime       (HailSdpNegotiation *self,
                                                           guint               ptime);
void                 hail_sdp_negotiation_set_srtp_policy (HailSdpNegotiation *self,
                                                           HailSdpSrtpPolicy   policy);
void                 hail_sdp_negotiation_set_rtcp_mux    (HailSdpNegotiation *self,
                                                           gboolean            rtcp_mux);
void                 hail_sdp_negotiation_set_hold        (HailSdpNegotiation *self,
                                                           gboolean            hold);
gboolean             hail_sdp_negotiation_get_hold        (HailSdpNegotiation *self);

HailSdpSession      *hail_sdp_negotiation_create_offer    (HailSdpNegotiation *self,
                                                           GError            **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;
gboolean             hail_sdp_negotiation_process_answer  (HailSdpNegotiation *self,
                                                           HailSdpSession     *answer,
                                                           GError            **error);
void                 hail_sdp_negotiation_rollback        (HailSdpNegotiation *self);
HailSdpSession      *hail_sdp_negotiation_create_answer   (HailSdpNegotiation *self,
                                                           HailSdpSession     *offer,
                                                           GError            **error)
                                                           G_GNUC_WARN_UNUSED_RESULT;

const GPtrArray     *hail_sdp_negotiation_get_streams     (HailSdpNegotiation *self);
HailSdpSession      *hail_sdp_negotiation_get_local       (HailSdpNegotiation *self);
HailSdpSession      *hail_sdp_negotiation_get_remote      (HailSdpNegotiation *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSdpStream, hail_sdp_stream_free)

G_END_DECLS
