/* fuzz-cpim.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds the input to every instant-message body reader: CPIM (a parsed
 * message must write out and parse again to the same fields and body),
 * is-composing and IMDN documents, and the charset conversion, whose
 * output must always be valid UTF-8 without NUL bytes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hail-sip-charset.h"
#include "hail-sip-cpim.h"
#include "hail-sip-imdn.h"
#include "hail-sip-iscomposing.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define require(cond) do { if (!(cond)) abort (); } while (0)

static void
check_text (const char *data,
            size_t      size,
            const char *charset)
{
  g_autofree char *text = hail_sip_charset_to_utf8 (data, size, charset, NULL);

  if (text == NULL)
    return;
  require (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(HailSipCpim) cpim = hail_sip_cpim_parse (text, size, NULL);
  g_autoptr(HailSipIsComposing) composing = hail_sip_iscomposing_parse (text, size, NULL);
  g_autoptr(HailSipImdn) imdn = hail_sip_imdn_parse (text, size, NULL);

  check_text (text, size, NULL);
  check_text (text, size, "ISO-8859-1");
  check_text (text, size, "UTF-16");
  check_text (text, size, "Shift_JIS");

  if (composing != NULL)
    require (composing->content_type == NULL
             || g_utf8_validate (composing->content_type, -1, NULL));
  if (imdn != NULL)
    require (imdn->message_id != NULL && *imdn->message_id != '\0');
  if (cpim != NULL && cpim->from != NULL && cpim->to != NULL
      && strlen (cpim->from) < HAIL_SIP_CPIM_MAX_LINE - 16
      && strlen (cpim->to) < HAIL_SIP_CPIM_MAX_LINE - 16
      && strlen (cpim->content_type) < HAIL_SIP_CPIM_MAX_LINE - 16)
    {
      g_autoptr(GBytes) out = NULL;
      g_autoptr(HailSipCpim) again = NULL;
      gsize len;
      const char *bytes;

      /* Values come back trimmed, on one line and valid UTF-8. */
      require (g_utf8_validate (cpim->from, -1, NULL));
      require (strchr (cpim->content_type, '\r') == NULL && strchr (cpim->from, '\n') == NULL);
      out = hail_sip_cpim_write (cpim->from, cpim->to, NULL, HAIL_SIP_CPIM_DISPOSITION_NONE,
                                 cpim->content_type, NULL, cpim->body);
      bytes = g_bytes_get_data (out, &len);
      if (len <= HAIL_SIP_CPIM_MAX_SIZE)
        {
          again = hail_sip_cpim_parse (bytes, len, NULL);
          require (again != NULL);
          require (g_bytes_equal (again->body, cpim->body));
          require (strcmp (again->content_type, cpim->content_type) == 0);
        }
    }
  return 0;
}
