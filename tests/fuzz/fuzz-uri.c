/* fuzz-uri.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Parses the input as a URI; a URI that parses must write out as text that
 * parses again to an equal URI with the same text, and its getters must
 * work. Also parses the input as a name-addr and as a Via value.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hail-sip-header.h"
#include "hail-sip-uri.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define require(cond) do { if (!(cond)) abort (); } while (0)

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(HailSipUri) uri = hail_sip_uri_parse (text, (gssize) size, NULL);
  g_autoptr(HailSipUri) again = NULL;
  g_autofree char *transport = NULL;
  g_autofree char *header = NULL;
  HailSipNameAddr addr;
  HailSipVia via;
  gsize len;

  if (hail_sip_name_addr_parse (&addr, text, size, NULL))
    {
      g_autoptr(HailSipUri) inner = hail_sip_name_addr_get_uri (&addr);
      g_autofree char *display = hail_sip_name_addr_dup_display_name (&addr, &len);

      require (addr.wildcard || inner != NULL);
      require (display == NULL || strlen (display) <= len);
    }
  hail_sip_via_parse (&via, text, size, NULL);

  if (uri == NULL)
    return 0;
  again = hail_sip_uri_parse (hail_sip_uri_to_string (uri), -1, NULL);
  require (again != NULL);
  require (hail_sip_uri_equal (uri, again));
  require (hail_sip_uri_equal (again, uri));
  require (strcmp (hail_sip_uri_to_string (uri), hail_sip_uri_to_string (again)) == 0);
  require (hail_sip_uri_get_scheme (uri) == hail_sip_uri_get_scheme (again));
  require (hail_sip_uri_get_port (uri) == hail_sip_uri_get_port (again));
  hail_sip_uri_get_user (uri, &len);
  hail_sip_uri_get_password (uri, &len);
  hail_sip_uri_get_host (uri);
  hail_sip_uri_is_global_number (uri);
  transport = hail_sip_uri_dup_param (uri, "transport", &len);
  header = hail_sip_uri_dup_header (uri, "subject", &len);
  hail_sip_uri_has_param (uri, "lr");
  return 0;
}
