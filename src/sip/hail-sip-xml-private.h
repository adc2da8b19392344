/* hail-sip-xml-private.h: the GMarkup reader shared by the small XML bodies
 * of instant messaging (is-composing, IMDN); nothing outside src/sip
 * includes it.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a document's reader is: embed it first in the parse state handed to
 * GMarkup, so that _hail_sip_xml_text_cb can find it. */
typedef struct {
  const char *what;    /* the document's name in error messages */
  guint       depth;   /* of the element being read; the root is 1 */
  const char *leaf;    /* static name of the leaf element whose text is kept */
  GString    *text;    /* the text of @leaf so far */
} HailSipXmlReader;

const char *_hail_sip_xml_start   (HailSipXmlReader     *reader,
                                   const char           *element,
                                   GError              **error);
const char *_hail_sip_xml_end     (HailSipXmlReader     *reader);
void        _hail_sip_xml_text_cb (GMarkupParseContext  *context,
                                   const char           *text,
                                   gsize                 len,
                                   gpointer              user_data,
                                   GError              **error);
gboolean    _hail_sip_xml_parse   (HailSipXmlReader     *reader,
                                   const GMarkupParser  *parser,
                                   const char           *data,
                                   gsize                 len,
                                   gsize                 max_size,
                                   GError              **error);

G_END_DECLS
