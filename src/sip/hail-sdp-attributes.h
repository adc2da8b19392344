/* hail-sdp-attributes.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed views of the SDP attributes Hail uses. A session keeps every
 * attribute as its verbatim text; these functions read and write them.
 */
#pragma once

#include "hail-sdp-session.h"

G_BEGIN_DECLS

/* RFC 3264 §5.1 / RFC 8866 §6.7: a bit mask, so that directions combine
 * with & and reverse by swapping the bits. */
typedef enum {
  HAIL_SDP_DIRECTION_INACTIVE = 0,
  HAIL_SDP_DIRECTION_SENDONLY = 1 << 0,
  HAIL_SDP_DIRECTION_RECVONLY = 1 << 1,
  HAIL_SDP_DIRECTION_SENDRECV = HAIL_SDP_DIRECTION_SENDONLY | HAIL_SDP_DIRECTION_RECVONLY,
} HailSdpDirection;

/* a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>] (RFC 8866 §6.6). */
typedef struct {
  guint8  payload_type;
  char   *encoding;
  guint   clock_rate;
  guint   channels;        /* 1 when absent */
} HailSdpRtpmap;

/* a=rtcp:<port> [<nettype> <addrtype> <address>] (RFC 3605). */
typedef struct {
  guint16  port;
  char    *nettype;        /* NULL when absent, as are the next two */
  char    *addrtype;
  char    *address;
} HailSdpRtcp;

const char      *hail_sdp_direction_to_string       (HailSdpDirection direction);
gboolean         hail_sdp_direction_from_string     (const char       *name,
                                                     HailSdpDirection *direction);
HailSdpDirection hail_sdp_direction_reverse         (HailSdpDirection direction);
HailSdpDirection hail_sdp_media_get_direction       (const HailSdpSession *session,
                                                     const HailSdpMedia   *media);
void             hail_sdp_media_set_direction       (HailSdpMedia     *media,
                                                     HailSdpDirection  direction);

HailSdpRtpmap   *hail_sdp_rtpmap_parse              (const char    *value,
                                                     GError       **error)
                                                     G_GNUC_WARN_UNUSED_RESULT;
void             hail_sdp_rtpmap_free               (HailSdpRtpmap *rtpmap);
HailSdpRtpmap   *hail_sdp_media_dup_rtpmap          (const HailSdpMedia *media,
                                                     guint8              payload_type)
                                                     G_GNUC_WARN_UNUSED_RESULT;
void             hail_sdp_media_add_rtpmap          (HailSdpMedia  *media,
                                                     guint8         payload_type,
                                                     const char    *encoding,
                                                     guint          clock_rate,
                                                     guint          channels);

const char      *hail_sdp_media_get_fmtp            (const HailSdpMedia *media,
                                                     const char         *format);
char            *hail_sdp_fmtp_lookup               (const char    *params,
                                                     const char    *key) G_GNUC_WARN_UNUSED_RESULT;
void             hail_sdp_media_add_fmtp            (HailSdpMedia  *media,
                                                     const char    *format,
                                                     const char    *params);

guint            hail_sdp_media_get_ptime           (const HailSdpMedia *media);
guint            hail_sdp_media_get_maxptime        (const HailSdpMedia *media);
void             hail_sdp_media_set_ptime           (HailSdpMedia  *media,
                                                     guint          ptime);

HailSdpRtcp     *hail_sdp_rtcp_parse                (const char    *value,
                                                     GError       **error)
                                                     G_GNUC_WARN_UNUSED_RESULT;
void             hail_sdp_rtcp_free                 (HailSdpRtcp   *rtcp);
HailSdpRtcp     *hail_sdp_media_dup_rtcp            (const HailSdpMedia *media)
                                                     G_GNUC_WARN_UNUSED_RESULT;
gboolean         hail_sdp_media_get_rtcp_mux        (const HailSdpMedia *media);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSdpRtpmap, hail_sdp_rtpmap_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSdpRtcp, hail_sdp_rtcp_free)

G_END_DECLS
