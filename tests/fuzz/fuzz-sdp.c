/* fuzz-sdp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses an SDP body, writes it, parses the result and checks both writes
 * agree; reads every typed attribute; then answers it as an offer and
 * checks it as the answer to our own offer.
 */
#include "config.h"

#include "hail-sdp-attributes.h"
#include "hail-sdp-crypto.h"
#include "hail-sdp-msrp.h"
#include "hail-sdp-negotiation.h"
#include "hail-sdp-session.h"
#include "hail-sip-error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Reads every typed view; each checks an invariant the parser promised
 * (a validated attribute always parses again). */
static void
read_typed (const HailSdpSession *session)
{
  for (guint i = 0; i < hail_sdp_session_get_n_media (session); i++)
    {
      const HailSdpMedia *m = hail_sdp_session_get_media (session, i);
      g_autoptr(GPtrArray) cryptos = hail_sdp_media_dup_cryptos (m);
      g_autoptr(HailSdpRtcp) rtcp = hail_sdp_media_dup_rtcp (m);
      g_autoptr(HailSdpFileSelector) sel = hail_sdp_media_dup_file_selector (m);
      g_auto(GStrv) path = hail_sdp_media_dup_msrp_path (m);
      g_auto(GStrv) types = hail_sdp_media_dup_accept_types (m);
      HailSdpSetup setup;
      guint64 max_size;

      for (guint j = 0; j < cryptos->len; j++)
        if (((HailSdpCrypto *) g_ptr_array_index (cryptos, j))->keys->len == 0)
          abort ();
      if ((rtcp == NULL) != (hail_sdp_media_get_attribute (m, "rtcp") == NULL))
        abort ();
      if ((sel == NULL) != !hail_sdp_media_has_attribute (m, "file-selector"))
        abort ();
      if ((path != NULL && path[0] == NULL) || (types != NULL && types[0] == NULL))
        abort ();
      (void) hail_sdp_media_get_direction (session, m);
      (void) hail_sdp_media_get_ptime (m);
      (void) hail_sdp_media_get_setup (m, &setup);
      (void) hail_sdp_media_get_max_size (m, &max_size);
      for (guint j = 0; j < m->formats->len; j++)
        {
          const char *fmt = g_ptr_array_index (m->formats, j);
          guint8 pt = (guint8) (strtoul (fmt, NULL, 10) & 0x7f);
          g_autoptr(HailSdpRtpmap) rtpmap = hail_sdp_media_dup_rtpmap (m, pt);
          const char *fmtp = hail_sdp_media_get_fmtp (m, fmt);
          g_autofree char *mode = fmtp != NULL ? hail_sdp_fmtp_lookup (fmtp, "mode") : NULL;

          if (rtpmap != NULL && rtpmap->payload_type != pt)
            abort ();
          if (mode != NULL && strlen (mode) > strlen (fmtp))
            abort ();
        }
    }
}

static void
negotiate (HailSdpSession *session)
{
  g_autoptr(HailSdpNegotiation) answerer = hail_sdp_negotiation_new ("192.0.2.1", 4000);
  g_autoptr(HailSdpNegotiation) offerer = hail_sdp_negotiation_new ("192.0.2.2", 5000);
  g_autoptr(HailSdpSession) answer = NULL;
  g_autoptr(HailSdpSession) offer = NULL;
  g_autoptr(GError) error = NULL;

  hail_sdp_negotiation_set_srtp_policy (answerer, HAIL_SDP_SRTP_OPTIONAL);
  answer = hail_sdp_negotiation_create_answer (answerer, session, &error);
  if (answer != NULL)
    {
      g_autofree char *text = hail_sdp_session_to_string (answer);
      g_autoptr(HailSdpSession) again = hail_sdp_session_parse (text, strlen (text), NULL);

      /* Our own answers must always parse. */
      if (again == NULL || hail_sdp_session_get_n_media (answer)
                           != hail_sdp_session_get_n_media (session))
        abort ();
    }
  else if (!g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED)
           && !g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED))
    abort ();
  g_clear_error (&error);

  hail_sdp_negotiation_set_srtp_policy (offerer, HAIL_SDP_SRTP_OPTIONAL);
  offer = hail_sdp_negotiation_create_offer (offerer, NULL);
  if (offer == NULL)
    abort ();
  if (!hail_sdp_negotiation_process_answer (offerer, session, &error)
      && !g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED)
      && !g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HailSdpSession) session = NULL;
  g_autoptr(HailSdpSession) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  session = hail_sdp_session_parse ((const char *) data, size, &error);
  if (session == NULL)
    {
      if (error == NULL || error->domain != HAIL_SIP_ERROR)
        abort ();
      return 0;
    }

  /* parse -> write -> parse gives the same fields, so the same write. */
  first = hail_sdp_session_to_string (session);
  again = hail_sdp_session_parse (first, strlen (first), &error);
  if (again == NULL)
    {
      g_printerr ("re-parse failed: %s\n%s", error->message, first);
      abort ();
    }
  second = hail_sdp_session_to_string (again);
  if (strcmp (first, second) != 0)
    abort ();

  read_typed (session);
  negotiate (session);
  return 0;
}
