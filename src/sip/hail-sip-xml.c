/* hail-sip-xml.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader behind the XML bodies of instant messaging. GMarkup expands no
 * external entities and takes no DTD, so a peer's document cannot make us
 * fetch or allocate beyond its own size, which is bounded before parsing;
 * nesting is bounded here too.
 */
#include "config.h"

#include "hail-sip-xml-private.h"

#include "hail-sip-error.h"
#include "hail-sip-iscomposing.h"

#include <string.h>

/* Namespaces are not resolved: a prefixed name ("im:status") is read by its
 * local part, which is all these documents' vocabularies need. */
static const char *
local_name (const char *name)
{
  const char *colon = strrchr (name, ':');

  return colon != NULL ? colon + 1 : name;
}

/* Enters @element from a start_element callback: returns its local name, or
 * NULL with @error set when the document nests too deep. The text kept so
 * far belongs to no leaf any more. */
const char *
_hail_sip_xml_start (HailSipXmlReader  *reader,
                     const char        *element,
                     GError           **error)
{
  if (++reader->depth > HAIL_SIP_XML_MAX_DEPTH)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "The %s document nests deeper than %d", reader->what,
                   HAIL_SIP_XML_MAX_DEPTH);
      return NULL;
    }
  reader->leaf = NULL;
  g_string_truncate (reader->text, 0);
  return local_name (element);
}

/* Leaves an element from an end_element callback: returns the leaf whose
 * text (stripped in reader->text) is now complete, or NULL. */
const char *
_hail_sip_xml_end (HailSipXmlReader *reader)
{
  const char *leaf = reader->leaf;

  reader->depth--;
  reader->leaf = NULL;
  if (leaf != NULL)
    g_strstrip (reader->text->str);
  return leaf;
}

void
_hail_sip_xml_text_cb (GMarkupParseContext  *context,
                       const char           *text,
                       gsize                 len,
                       gpointer              user_data,
                       GError              **error)
{
  HailSipXmlReader *reader = user_data;

  if (reader->leaf != NULL)
    g_string_append_len (reader->text, text, len);
}

/* Parses @data with @parser, whose callbacks get @reader (the head of their
 * state) as user data. Errors are all HAIL_SIP_ERROR: _TOO_LARGE beyond
 * @max_size bytes or HAIL_SIP_XML_MAX_DEPTH, _MALFORMED for XML that is not
 * well-formed, or what the callbacks set. */
gboolean
_hail_sip_xml_parse (HailSipXmlReader     *reader,
                     const GMarkupParser  *parser,
                     const char           *data,
                     gsize                 len,
                     gsize                 max_size,
                     GError              **error)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GString) text = NULL;
  GError *local = NULL;

  g_assert (reader->what != NULL && reader->text == NULL);

  if (len > max_size)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "The %s document is larger than %" G_GSIZE_FORMAT " bytes", reader->what,
                   max_size);
      return FALSE;
    }
  text = g_string_new (NULL);
  reader->text = text;
  context = g_markup_parse_context_new (parser, G_MARKUP_PREFIX_ERROR_POSITION, reader, NULL);
  if (!g_markup_parse_context_parse (context, data, len, &local)
      || !g_markup_parse_context_end_parse (context, &local))
    {
      if (local->domain == HAIL_SIP_ERROR)
        g_propagate_error (error, local);
      else
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "The %s document is not well-formed XML: %s", reader->what,
                       local->message);
          g_error_free (local);
        }
      reader->text = NULL;
      return FALSE;
    }
  reader->text = NULL;
  return TRUE;
}
