/* fuzz-message.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses the input as a datagram and as stream bytes, calls every accessor,
 * runs the UAS checks, writes the message back and re-parses it (which must
 * succeed with the same fields), builds a reply, and for a request that
 * failed to parse, tries the 400 answer.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define require(cond) do { if (!(cond)) abort (); } while (0)

static void
read_all (HailSipMessage *msg)
{
  HailSipNameAddr routes[3];
  HailSipNameAddr contact;
  HailSipContentType ctype;
  HailSipHeaderIter iter;
  HailSipSpan name, value;
  HailSipVia via;
  guint32 u32;
  gsize len;
  guint q;

  for (guint i = 0; i < hail_sip_message_get_n_vias (msg); i++)
    require (hail_sip_message_get_via (msg, i, &via));
  for (guint i = 0; i < hail_sip_message_get_n_contacts (msg); i++)
    {
      g_autoptr(HailSipUri) uri = NULL;
      g_autofree char *display = NULL;

      require (hail_sip_message_get_contact (msg, i, &contact));
      uri = hail_sip_name_addr_get_uri (&contact);
      display = hail_sip_name_addr_dup_display_name (&contact, &len);
      require (display == NULL || strlen (display) <= len);
      hail_sip_name_addr_get_expires (&contact, &u32);
      hail_sip_name_addr_get_q (&contact, &q);
    }
  if (hail_sip_message_get_from (msg) != NULL)
    {
      g_autoptr(HailSipUri) uri = hail_sip_name_addr_get_uri (hail_sip_message_get_from (msg));
      g_autofree char *display = hail_sip_name_addr_dup_display_name (
        hail_sip_message_get_from (msg), &len);

      require (uri != NULL);
      require (display == NULL || strlen (display) <= len);
    }
  hail_sip_message_get_to (msg);
  hail_sip_message_get_cseq (msg);
  hail_sip_message_get_call_id (msg);
  hail_sip_message_get_max_forwards (msg);
  hail_sip_message_get_expires (msg, &u32);
  hail_sip_message_get_min_expires (msg, &u32);
  hail_sip_message_get_retry_after (msg, &u32);
  hail_sip_message_get_content_type (msg, &ctype);
  hail_sip_message_get_content_length (msg, &len);
  hail_sip_message_get_route_set (msg, HAIL_SIP_HEADER_ROUTE, routes, G_N_ELEMENTS (routes));
  hail_sip_message_get_route_set (msg, HAIL_SIP_HEADER_RECORD_ROUTE, routes, 3);
  hail_sip_message_has_option (msg, HAIL_SIP_HEADER_SUPPORTED, "timer");
  for (guint i = 0; hail_sip_message_get_header_at (msg, i, &name, &value, NULL); i++)
    {
      g_autofree char *key = g_strndup (name.ptr, name.len);
      g_autofree char *dup = hail_sip_message_dup_header (msg, key);

      require (dup != NULL);
      hail_sip_message_iter_init (msg, &iter, key);
      while (hail_sip_header_iter_next (&iter, &value))
        ;
    }
  if (hail_sip_message_is_request (msg))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *unsupported = NULL;

      if (!hail_sip_message_check_request (msg, NULL, &unsupported, &error))
        require (error != NULL && error->domain == HAIL_SIP_STATUS_ERROR);
    }
}

static void
write_back (HailSipMessage *msg)
{
  g_autoptr(HailSipMessageBuilder) builder = hail_sip_message_builder_new_copy (msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) again = hail_sip_message_builder_finish (builder, &error);

  require (again != NULL);
  require (hail_sip_message_is_request (again) == hail_sip_message_is_request (msg));
  require (hail_sip_message_get_status (again) == hail_sip_message_get_status (msg));
  require (hail_sip_span_equal (hail_sip_message_get_call_id (again),
                                hail_sip_message_get_call_id (msg)));
  require (hail_sip_message_get_n_vias (again) == hail_sip_message_get_n_vias (msg));
  require (hail_sip_message_get_n_contacts (again) == hail_sip_message_get_n_contacts (msg));
  require (hail_sip_span_equal (hail_sip_message_get_body (again),
                                hail_sip_message_get_body (msg)));
  require ((hail_sip_message_get_cseq (again) == NULL)
           == (hail_sip_message_get_cseq (msg) == NULL));
  if (hail_sip_message_is_request (msg))
    {
      g_autoptr(HailSipMessageBuilder) reply = hail_sip_message_builder_new_reply (msg, 200, NULL,
                                                                                   "fuzztag");
      g_autoptr(HailSipMessage) answer = hail_sip_message_builder_finish (reply, &error);

      require (answer != NULL);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  for (int mode = HAIL_SIP_PARSE_DATAGRAM; mode <= HAIL_SIP_PARSE_STREAM; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipMessage) msg = NULL;
      gsize consumed = 0;

      msg = hail_sip_message_parse (bytes, mode, NULL, &consumed, &error);
      if (msg == NULL)
        {
          g_autoptr(GError) reply_error = NULL;
          g_autoptr(HailSipMessageBuilder) builder = NULL;

          require (error != NULL && error->domain == HAIL_SIP_ERROR);
          builder = hail_sip_message_builder_new_error_reply (bytes, error, "t", &reply_error);
          if (builder != NULL)
            {
              g_autoptr(HailSipMessage) reply = hail_sip_message_builder_finish (builder,
                                                                                 &reply_error);

              require (reply != NULL);
            }
          continue;
        }
      require (consumed <= size);
      read_all (msg);
      write_back (msg);
    }
  return 0;
}
