/* hail-sip-iscomposing.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Is-composing status documents (RFC 3994 §5), read with GMarkup: it
 * expands no external entities and takes no DTD, so a peer's document
 * cannot make us fetch or allocate beyond its own (bounded) size.
 */
#include "config.h"

#include "hail-sip-iscomposing.h"

#include "hail-sip-error.h"

#include <string.h>

typedef struct {
  HailSipIsComposing *result;
  guint               depth;
  gboolean            seen_root;
  gboolean            seen_state;
  const char         *leaf;        /* Static name of the element being read. */
  GString            *text;
} ParseState;

static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

static void
start_cb (GMarkupParseContext  *context,
          const char           *element,
          const char          **names,
          const char          **values,
          gpointer              user_data,
          GError              **error)
{
  ParseState *state = user_data;
  const char *name = local_name (element);

  if (++state->depth > HAIL_SIP_XML_MAX_DEPTH)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "The is-composing document nests deeper than %d", HAIL_SIP_XML_MAX_DEPTH);
      return;
    }
  if (state->depth == 1)
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
  state->leaf = NULL;
  g_string_truncate (state->text, 0);
  if (state->depth != 2)
    return;
  if (strcmp (name, "state") == 0)
    state->leaf = "state";
  else if (strcmp (name, "refresh") == 0)
    state->leaf = "refresh";
  else if (strcmp (name, "contenttype") == 0)
    state->leaf = "contenttype";
  else if (strcmp (name, "lastactive") == 0)
    state->leaf = "lastactive";
}

static void
text_cb (GMarkupParseContext  *context,
         const char           *text,
         gsize                 len,
         gpointer              user_data,
         GError              **error)
{
  ParseState *state = user_data;

  if (state->leaf != NULL)
    g_string_append_len (state->text, text, len);
}

static void
end_cb (GMarkupParseContext  *context,
        const char           *element,
        gpointer              user_data,
        GError              **error)
{
  ParseState *state = user_data;
  HailSipIsComposing *r = state->result;
  const char *leaf = state->leaf;
  char *value;

  state->depth--;
  state->leaf = NULL;
  if (leaf == NULL)
    return;
  value = g_strstrip (state->text->str);
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
  const GMarkupParser parser = { start_cb, end_cb, text_cb, NULL, NULL };
  g_autoptr(HailSipIsComposing) result = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GString) text = NULL;
  ParseState state = { 0 };
  GError *local = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > HAIL_SIP_ISCOMPOSING_MAX_SIZE)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "The is-composing document is larger than %d bytes",
                   HAIL_SIP_ISCOMPOSING_MAX_SIZE);
      return NULL;
    }
  result = g_new0 (HailSipIsComposing, 1);
  text = g_string_new (NULL);
  state.result = result;
  state.text = text;
  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &state, NULL);
  if (!g_markup_parse_context_parse (context, data, len, &local)
      || !g_markup_parse_context_end_parse (context, &local))
    {
      if (local->domain == HAIL_SIP_ERROR)
        g_propagate_error (error, local);
      else
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "The is-composing document is not well-formed XML: %s", local->message);
          g_error_free (local);
        }
      return NULL;
    }
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
