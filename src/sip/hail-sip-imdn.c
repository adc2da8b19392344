/* hail-sip-imdn.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * IMDN documents (RFC 5438 §7), read with the bounded GMarkup reader of
 * hail-sip-xml.c: no DTD, no external entities, bounded size and depth.
 */
#include "config.h"

#include "hail-sip-imdn.h"

#include "hail-sip-error.h"
#include "hail-sip-xml-private.h"

#include <string.h>

typedef struct {
  HailSipXmlReader  reader;    /* First: the text callback reads it. */
  HailSipImdn      *result;
  gboolean          seen_root;
  gboolean          seen_kind;
  gboolean          seen_status;
  gboolean          in_status;
} ParseState;

static const struct {
  const char        *name;
  HailSipImdnStatus  status;
} statuses[] = {
  { "delivered", HAIL_SIP_IMDN_STATUS_DELIVERED },
  { "displayed", HAIL_SIP_IMDN_STATUS_DISPLAYED },
  { "failed", HAIL_SIP_IMDN_STATUS_FAILED },
  { "forbidden", HAIL_SIP_IMDN_STATUS_FORBIDDEN },
  { "error", HAIL_SIP_IMDN_STATUS_ERROR },
};

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
  guint depth = state->reader.depth;

  if (name == NULL)
    return;
  if (depth == 1)
    {
      if (strcmp (name, "imdn") != 0)
        g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                     "The root element is <%s>, not <imdn>", name);
      state->seen_root = TRUE;
      return;
    }
  if (depth == 2)
    {
      if (strcmp (name, "message-id") == 0)
        state->reader.leaf = "message-id";
      else if (strcmp (name, "datetime") == 0)
        state->reader.leaf = "datetime";
      else if (strcmp (name, "delivery-notification") == 0)
        state->result->kind = HAIL_SIP_IMDN_KIND_DELIVERY, state->seen_kind = TRUE;
      else if (strcmp (name, "display-notification") == 0)
        state->result->kind = HAIL_SIP_IMDN_KIND_DISPLAY, state->seen_kind = TRUE;
      return;
    }
  if (depth == 3 && strcmp (name, "status") == 0)
    {
      state->in_status = TRUE;
      return;
    }
  if (depth == 4 && state->in_status && !state->seen_status)
    {
      state->result->status = HAIL_SIP_IMDN_STATUS_ERROR;
      for (gsize i = 0; i < G_N_ELEMENTS (statuses); i++)
        if (strcmp (name, statuses[i].name) == 0)
          state->result->status = statuses[i].status;
      state->seen_status = TRUE;
    }
}

static void
end_cb (GMarkupParseContext  *context,
        const char           *element,
        gpointer              user_data,
        GError              **error)
{
  ParseState *state = user_data;
  HailSipImdn *r = state->result;
  const char *leaf;

  if (state->reader.depth == 3)
    state->in_status = FALSE;
  leaf = _hail_sip_xml_end (&state->reader);
  if (leaf == NULL)
    return;
  if (strcmp (leaf, "message-id") == 0 && r->message_id == NULL)
    r->message_id = g_strdup (state->reader.text->str);
  else if (strcmp (leaf, "datetime") == 0 && r->datetime == NULL)
    r->datetime = g_strdup (state->reader.text->str);
}

HailSipImdn *
hail_sip_imdn_parse (const char  *data,
                     gsize        len,
                     GError     **error)
{
  const GMarkupParser parser = { start_cb, end_cb, _hail_sip_xml_text_cb, NULL, NULL };
  g_autoptr(HailSipImdn) result = NULL;
  ParseState state = { { "IMDN" } };

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  result = g_new0 (HailSipImdn, 1);
  state.result = result;
  if (!_hail_sip_xml_parse (&state.reader, &parser, data, len, HAIL_SIP_IMDN_MAX_SIZE, error))
    return NULL;
  if (!state.seen_root || result->message_id == NULL || *result->message_id == '\0'
      || !state.seen_kind || !state.seen_status)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The IMDN document lacks a message-id, a notification or a status");
      return NULL;
    }
  return g_steal_pointer (&result);
}

void
hail_sip_imdn_free (HailSipImdn *self)
{
  if (self == NULL)
    return;
  g_free (self->message_id);
  g_free (self->datetime);
  g_free (self);
}

GBytes *
hail_sip_imdn_write (const char        *message_id,
                     const char        *datetime,
                     const char        *recipient,
                     HailSipImdnKind    kind,
                     HailSipImdnStatus  status)
{
  const char *element = kind == HAIL_SIP_IMDN_KIND_DELIVERY ? "delivery-notification"
                                                            : "display-notification";
  g_autofree char *id = g_markup_escape_text (message_id, -1);
  g_autofree char *now = NULL;
  g_autofree char *when = NULL;
  g_autofree char *who = NULL;
  GString *s;

  g_return_val_if_fail (message_id != NULL && recipient != NULL, NULL);

  if (datetime == NULL)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();

      now = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
      datetime = now;
    }
  when = g_markup_escape_text (datetime, -1);
  who = g_markup_escape_text (recipient, -1);
  s = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n");
  g_string_append_printf (s, "  <message-id>%s</message-id>\n", id);
  g_string_append_printf (s, "  <datetime>%s</datetime>\n", when);
  g_string_append_printf (s, "  <recipient-uri>%s</recipient-uri>\n", who);
  g_string_append_printf (s, "  <%s><status><%s/></status></%s>\n", element,
                          statuses[status].name, element);
  g_string_append (s, "</imdn>\n");
  return g_string_free_to_bytes (s);
}

char *
hail_sip_imdn_new_message_id (void)
{
  return g_strdup_printf ("%08x%08x%08x", g_random_int (), g_random_int (), g_random_int ());
}
