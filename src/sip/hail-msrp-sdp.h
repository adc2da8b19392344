/* hail-msrp-sdp.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SDP of a message session (RFC 4975 §8, RFC 6135, RFC 5547): the
 * m=message section offered and answered in an INVITE, and the reading of
 * the peer's.
 */
#pragma once

#include "hail-sdp-msrp.h"

G_BEGIN_DECLS

/* What we take and offer: text, CPIM-wrapped text, anything in a file. */
#define HAIL_MSRP_SDP_ACCEPT_TYPES         "message/cpim text/plain"
#define HAIL_MSRP_SDP_ACCEPT_WRAPPED_TYPES "text/plain"

/**
 * HailMsrpSdpDirection:
 * @HAIL_MSRP_SDP_SENDRECV: a chat both ways
 * @HAIL_MSRP_SDP_SENDONLY: the side that wrote it pushes a file (RFC 5547 §8)
 * @HAIL_MSRP_SDP_RECVONLY: the side that wrote it takes a file
 */
typedef enum {
  HAIL_MSRP_SDP_SENDRECV,
  HAIL_MSRP_SDP_SENDONLY,
  HAIL_MSRP_SDP_RECVONLY,
} HailMsrpSdpDirection;

/* The peer's m=message section, read and checked. */
typedef struct {
  GStrv                 path;        /* a=path, leftmost first */
  gboolean              secure;      /* TCP/TLS/MSRP */
  HailSdpSetup          setup;       /* as written, or its RFC 6135 default */
  gboolean              has_setup;
  GStrv                 accept_types;
  guint64               max_size;    /* 0: not said */
  HailMsrpSdpDirection  direction;
  HailSdpFileSelector  *file;        /* NULL unless a file transfer */
  char                 *file_transfer_id;
  char                 *fingerprint; /* msrps: a=fingerprint to pin, or NULL */
  guint64               file_range_start; /* RFC 5547 a=file-range; 1 without one */
} HailMsrpSdpMedia;

void              hail_msrp_sdp_media_free   (HailMsrpSdpMedia     *media);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailMsrpSdpMedia, hail_msrp_sdp_media_free)

/* Whether @sdp asks for a message session only (an m=message with a port,
 * no other stream with one): what a dispatcher gives the chat side. */
gboolean          hail_msrp_sdp_is_message_session (GBytes       *sdp);

/* Finds the first usable m=message in @sdp. Fails with
 * HAIL_SIP_ERROR_UNSUPPORTED when none is there or none is usable
 * (rejected with port 0, another proto, no path, no type we take, a
 * path hop not over TCP), HAIL_SIP_ERROR_MALFORMED for a bad body. Paths
 * through relays (RFC 4976) are read whole. */
HailMsrpSdpMedia *hail_msrp_sdp_read         (GBytes               *sdp,
                                              GError              **error)
                                              G_GNUC_WARN_UNUSED_RESULT;

/* Our SDP for a message session whose listener has @local_path (its host
 * and port go in c= and m=; through a relay, the hops separated by spaces,
 * and the first one's): an offer carries setup ACTPASS, an answer
 * the role picked for the offer. @file (nullable) makes it a file
 * transfer with @file_transfer_id (RFC 5547 §6). */
GBytes           *hail_msrp_sdp_write        (const char                *local_path,
                                              HailSdpSetup               setup,
                                              HailMsrpSdpDirection       direction,
                                              guint64                    max_size,
                                              const HailSdpFileSelector *file,
                                              const char                *file_transfer_id,
                                              GError                   **error)
                                              G_GNUC_WARN_UNUSED_RESULT;
/* The same with our certificate's @fingerprint (nullable; see
 * hail_msrp_session_get_fingerprint()) as a=fingerprint, which an msrps
 * path needs for a peer to accept our self-signed certificate, and with
 * a=file-range:@range_start-<size> (RFC 5547 §9: a transfer resumed from
 * that byte) when @file has a size and @range_start > 1. */
GBytes           *hail_msrp_sdp_write_full   (const char                *local_path,
                                              HailSdpSetup               setup,
                                              HailMsrpSdpDirection       direction,
                                              guint64                    max_size,
                                              const HailSdpFileSelector *file,
                                              const char                *file_transfer_id,
                                              const char                *fingerprint,
                                              guint64                    range_start,
                                              GError                   **error)
                                              G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
