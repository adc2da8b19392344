/* fuzz-msrp-sdp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads an SDP body as a peer's message-session offer (issue #8): either a
 * usable m=message with one direct path (and for msrps a usable
 * a=fingerprint or none) comes out, or a HAIL_SIP_ERROR; the answer we
 * would write for it always reads back with our path and fingerprint.
 */
#include "config.h"

#include "hail-msrp-limits.h"
#include "hail-msrp-sdp.h"
#include "hail-msrp-session.h"
#include "hail-sip-error.h"
#include "hail-sip-tls-identity.h"

#include <stdint.h>
#include <stdlib.h>

#define LOCAL_PATH "msrp://192.0.2.1:4000/fuzz;tcp"
#define SECURE_PATH "msrps://192.0.2.1:4000/fuzz;tcp"
#define FINGERPRINT "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:" \
                    "4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) sdp = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpSdpMedia) offer = hail_msrp_sdp_read (sdp, &error);
  g_autoptr(HailMsrpSdpMedia) back = NULL;
  g_autoptr(GBytes) answer = NULL;
  HailSdpSetup role;

  (void) hail_msrp_sdp_is_message_session (sdp);
  if (offer == NULL)
    {
      if (error == NULL || error->domain != HAIL_SIP_ERROR)
        abort ();
      return 0;
    }
  /* RFC 4976: the peer's relays, then the peer, within the path bound. */
  if (offer->path == NULL || offer->path[0] == NULL ||
      g_strv_length (offer->path) > HAIL_MSRP_MAX_PATH_URIS)
    abort ();
  role = hail_msrp_session_answer_setup (offer->setup);
  if (role == HAIL_SDP_SETUP_HOLDCONN)
    return 0;
  /* A pinned fingerprint was checked while reading; an msrps answer
   * carries ours. */
  if (offer->fingerprint != NULL && (!offer->secure
                                     || hail_sip_tls_fingerprint_check (offer->fingerprint,
                                                                        NULL) == 0))
    abort ();
  answer = hail_msrp_sdp_write_full (offer->secure ? SECURE_PATH : LOCAL_PATH, role,
                                     offer->direction == HAIL_MSRP_SDP_SENDONLY
                                     ? HAIL_MSRP_SDP_RECVONLY : HAIL_MSRP_SDP_SENDRECV,
                                     offer->max_size, offer->file, offer->file_transfer_id,
                                     offer->secure ? FINGERPRINT : NULL, 1, &error);
  if (answer == NULL)
    abort ();
  back = hail_msrp_sdp_read (answer, &error);
  if (back == NULL || g_strcmp0 (back->path[0], offer->secure ? SECURE_PATH : LOCAL_PATH) != 0
      || back->setup != role
      || g_strcmp0 (back->fingerprint, offer->secure ? FINGERPRINT : NULL) != 0)
    abort ();
  return 0;
}
