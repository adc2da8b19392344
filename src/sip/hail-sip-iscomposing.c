/* hail-sip-iscomposing.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Is-composing status documents (RFC 3994 §5), read with the bounded GMarkup
 * reader of hail-sip-xml.c.
 */
#include "config.h"

#include "hail-sip-iscomposing.h"

#include "hail-sip-error.h"
#include "hail-sip-xml-private.h"

#include <string.h>

typedef struct {
  HailSipXmlReader    reader;      /* First: the text callback reads it. */
  HailSipIsComposing *result;
  gboolean            seen_root;
  gboolean            seen_state;
} ParseState;

static void
start_cb (GMarkupParseContext  *context,
          const char           *element,
          const char          **names,
          const char          **values,
          gpointer              user_data,
          GError              **error)
{
  ParseState *state = user_data;
  const char *name = _hail_sip_xml_start (&state->reader, element, error);

  if (name == NULL)
    return;
  if (state->reader.depth == 1)
    {
      if (strcmp (name, "isComposing") != 0)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "The root element is <%s>, not <isComposing>", name);
          return;
        }
      state->seen_root = TRUE;
      return;
    }
  if (state->reader.depth != 2)
    return;
  if (strcmp (name, "state") == 0)
    state->reader.leaf = "state";
  else if (strcmp (name, "refresh") == 0)
    state->reader.leaf = "refresh";
  else if (strcmp (name, "contenttype") == 0)
    state->reader.leaf = "contenttype";
  else if (strcmp (name, "lastactive") == 0)
    state->reader.leaf = "lastactive";
}

static void
end_cb (GMarkupParseContext  *context,
        const char           *element,
        gpointer              user_data,
        GError              **error)
{
  ParseState *state = user_data;
  HailSipIsComposing *r = state->result;
  const char *leaf = _hail_sip_xml_end (&state->reader);
  const char *value = state->reader.text->str;

  if (leaf == NULL)
    return;
  if (strcmp (leaf, "state") == 0)
    {
      if (strcmp (value, "active") == 0)
        r->active = TRUE;
      else if (strcmp (value, "idle") == 0)
        r->active = FALSE;
      else
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "Unknown is-composing state “%s”", value);
          return;
        }
      state->seen_state = TRUE;
    }
  else if (strcmp (leaf, "refresh") == 0)
    {
      guint64 n = 0;

      if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT32, &n, NULL))
        {
          g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "The is-composing refresh is not a positive number");
          return;
        }
      r->refresh = (guint) n;
    }
  else if (strcmp (leaf, "contenttype") == 0 && r->content_type == NULL)
    r->content_type = g_strdup (value);
  else if (strcmp (leaf, "lastactive") == 0 && r->last_active == NULL)
    r->last_active = g_strdup (value);
}

HailSipIsComposing *
hail_sip_iscomposing_parse (const char  *data,
                            gsize        len,
                            GError     **error)
{
  const GMarkupParser parser = { start_cb, end_cb, _hail_sip_xml_text_cb, NULL, NULL };
  g_autoptr(HailSipIsComposing) result = NULL;
  ParseState state = { { "is-composing" } };

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  result = g_new0 (HailSipIsComposing, 1);
  state.result = result;
  if (!_hail_sip_xml_parse (&state.reader, &parser, data, len, HAIL_SIP_ISCOMPOSING_MAX_SIZE,
                            error))
    return NULL;
  if (!state.seen_root || !state.seen_state)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The is-composing document has no <isComposing> with a <state>");
      return NULL;
    }
  return g_steal_pointer (&result);
}

void
hail_sip_iscomposing_free (HailSipIsComposing *self)
{
  if (self == NULL)
    return;
  g_free (self->content_type);
  g_free (self->last_active);
  g_free (self);
}

GBytes *
hail_sip_iscomposing_write (gboolean active,
                            guint    refresh)
{
  GString *s = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\">\n");

  g_string_append_printf (s, "  <state>%s</state>\n", active ? "active" : "idle");
  g_string_append (s, "  <contenttype>text/plain</contenttype>\n");
  if (active && refresh > 0)
    g_string_append_printf (s, "  <refresh>%u</refresh>\n", refresh);
  g_string_append (s, "</isComposing>\n");
  return g_string_free_to_bytes (s);
}
