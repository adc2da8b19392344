/* fuzz-msrp-sdp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads an SDP body as a peer's message-session offer (issue #8): either a
 * usable m=message with one direct path comes out, or a HAIL_SIP_ERROR;
 * the answer we would write for it always reads back with our path.
 */
#include "config.h"

#include "hail-msrp-sdp.h"
#include "hail-msrp-session.h"
#include "hail-sip-error.h"

#include <stdint.h>
#include <stdlib.h>

#define LOCAL_PATH "msrp://192.0.2.1:4000/fuzz;tcp"

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
  if (offer->path == NULL || offer->path[0] == NULL || offer->path[1] != NULL)
    abort ();
  role = hail_msrp_session_answer_setup (offer->setup);
  if (role == HAIL_SDP_SETUP_HOLDCONN)
    return 0;
  answer = hail_msrp_sdp_write (LOCAL_PATH, role,
                                offer->direction == HAIL_MSRP_SDP_SENDONLY
                                ? HAIL_MSRP_SDP_RECVONLY : HAIL_MSRP_SDP_SENDRECV,
                                offer->max_size, offer->file, offer->file_transfer_id, &error);
  if (answer == NULL)
    abort ();
  back = hail_msrp_sdp_read (answer, &error);
  if (back == NULL || g_strcmp0 (back->path[0], LOCAL_PATH) != 0 || back->setup != role)
    abort ();
  return 0;
}
