/* fuzz-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses the input as a SIP message and builds a dialog from it: a
 * request as the INVITE a UAS answers, a response as the answer to a
 * fixed INVITE of ours. A dialog that builds must take the message as an
 * in-dialog request or response and write a BYE that parses again.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hail-sip-dialog.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define require(cond) do { if (!(cond)) abort (); } while (0)

static const char our_invite[] =
  "INVITE sip:bob@example.test SIP/2.0\r\n"
  "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKfuzz\r\n"
  "From: <sip:alice@example.test>;tag=fuzz\r\n"
  "To: <sip:bob@example.test>\r\n"
  "Call-ID: fuzz@x\r\nCSeq: 1 INVITE\r\n"
  "Contact: <sip:alice@127.0.0.1:5070>\r\nContent-Length: 0\r\n\r\n";

static void
check_bye (HailSipDialog *dialog)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) bye = NULL;
  g_autoptr(HailSipUri) hop = NULL;
  g_autoptr(GError) error = NULL;

  hop = hail_sip_dialog_dup_next_hop (dialog);
  require (hop != NULL);
  builder = hail_sip_dialog_build_request (dialog, "BYE", hail_sip_dialog_next_cseq (dialog),
                                           "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKbye");
  bye = hail_sip_message_builder_finish (builder, &error);
  /* A peer's tag or URI may not survive as a header value; that is an
   * error, never a crash. */
  if (bye != NULL)
    {
      require (hail_sip_message_is_method (bye, "BYE"));
      require (hail_sip_span_equal_str (hail_sip_message_get_call_id (bye),
                                        hail_sip_dialog_get_call_id (dialog)));
      require (hail_sip_message_get_cseq (bye)->number == hail_sip_dialog_get_local_cseq (dialog));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HailSipMessage) message = NULL;
  g_autoptr(HailSipDialog) dialog = NULL;

  message = hail_sip_message_parse_data ((const char *) data, size, HAIL_SIP_PARSE_DATAGRAM, NULL);
  if (message == NULL)
    return 0;
  if (hail_sip_message_is_request (message))
    {
      guint status = 0;

      dialog = hail_sip_dialog_new_uas (message, "fuzztag", NULL);
      if (dialog == NULL)
        return 0;
      require (hail_sip_dialog_get_route_set (dialog)->len <= HAIL_SIP_DIALOG_MAX_ROUTES);
      /* The same CSeq again is out of order (ACK and CANCEL excepted). */
      if (!hail_sip_dialog_receive_request (dialog, message, &status, NULL))
        require (status == 500);
    }
  else
    {
      g_autoptr(HailSipMessage) invite =
        hail_sip_message_parse_data (our_invite, strlen (our_invite), HAIL_SIP_PARSE_DATAGRAM,
                                     NULL);

      require (invite != NULL);
      dialog = hail_sip_dialog_new_uac (invite, message, NULL);
      if (dialog == NULL)
        return 0;
      hail_sip_dialog_matches (dialog, message);
      hail_sip_dialog_receive_response (dialog, message, TRUE);
    }
  check_bye (dialog);
  return 0;
}
