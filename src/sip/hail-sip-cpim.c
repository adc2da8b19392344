/* hail-sip-cpim.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Common Presence and Instant Messaging message format (RFC 3862), as SIP
 * MESSAGE carries it (RFC 3428 §9) and IMDN extends it (RFC 5438 §6).
 */
#include "config.h"

#include "hail-sip-cpim.h"

#include "hail-sip-error.h"

#include <string.h>

#define IMDN_NAMESPACE "urn:ietf:params:imdn"

typedef struct {
  const char *name;
  gsize       name_len;
  const char *value;
  gsize       value_len;
} Header;

typedef struct {
  Header header[HAIL_SIP_CPIM_MAX_HEADERS];
  guint  n;
} Section;

/* The line at @p (up to @end), without its CRLF or LF; sets *next past it.
 * FALSE when the line has no terminator before @end. */
static gboolean
next_line (const char  *p,
           const char  *end,
           const char **line_end,
           const char **next)
{
  const char *lf = memchr (p, '\n', end - p);

  if (lf == NULL)
    return FALSE;
  *next = lf + 1;
  *line_end = (lf > p && lf[-1] == '\r') ? lf - 1 : lf;
  return TRUE;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Reads header lines up to and including the blank line that ends them.
 * @fold allows MIME continuation lines (RFC 2045 via RFC 822 folding). */
static gboolean
read_section (const char  **pp,
              const char   *end,
              Section      *section,
              gboolean      fold,
              const char   *what,
              GError      **error)
{
  const char *p = *pp;

  section->n = 0;
  for (;;)
    {
      const char *line_end, *next, *colon, *v;
      Header *h;

      if (!next_line (p, end, &line_end, &next))
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "The CPIM %s headers do not end with a blank line", what);
          return FALSE;
        }
      if ((gsize) (line_end - p) > HAIL_SIP_CPIM_MAX_LINE)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "A CPIM %s header line is longer than %d bytes", what,
                       HAIL_SIP_CPIM_MAX_LINE);
          return FALSE;
        }
      if (line_end == p)
        {
          *pp = next;
          return TRUE;
        }
      if (memchr (p, '\0', line_end - p) != NULL)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "A CPIM %s header holds a NUL byte", what);
          return FALSE;
        }
      if (*p == ' ' || *p == '\t')
        {
          if (!fold || section->n == 0)
            {
              g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "A CPIM %s header line starts with white space", what);
              return FALSE;
            }
          /* The value runs on over the line break; the caller trims it. */
          h = &section->header[section->n - 1];
          h->value_len = line_end - h->value;
          p = next;
          continue;
        }
      colon = memchr (p, ':', line_end - p);
      if (colon == NULL || colon == p)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "A CPIM %s header line has no name and colon", what);
          return FALSE;
        }
      for (const char *c = p; c < colon; c++)
        if (!is_token_char (*c))
          {
            g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                         "A CPIM %s header name holds an invalid character", what);
            return FALSE;
          }
      if (section->n == HAIL_SIP_CPIM_MAX_HEADERS)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "The CPIM %s part has more than %d headers", what,
                       HAIL_SIP_CPIM_MAX_HEADERS);
          return FALSE;
        }
      v = colon + 1;
      /* RFC 3862 §3.1: parameters (";lang=fr") come right after the colon,
       * before the space that starts the value. */
      if (!fold && v < line_end && *v == ';')
        {
          while (v < line_end && *v != ' ')
            v++;
        }
      h = &section->header[section->n++];
      h->name = p;
      h->name_len = colon - p;
      h->value = v;
      h->value_len = line_end - v;
      p = next;
    }
}

/* A trimmed, valid UTF-8 copy of a header value, folding line breaks into
 * spaces. */
static char *
dup_value (const Header *h)
{
  g_autofree char *copy = g_strndup (h->value, h->value_len);

  /* Line breaks first, then the trim: a folded value may end in a
   * continuation line of blanks. */
  for (char *c = copy; *c != '\0'; c++)
    if (*c == '\r' || *c == '\n' || *c == '\t')
      *c = ' ';
  return g_utf8_make_valid (g_strstrip (copy), -1);
}

static gboolean
name_is (const Header *h,
         const char   *prefix,
         const char   *name)
{
  gsize plen = prefix != NULL ? strlen (prefix) : 0;
  gsize nlen = strlen (name);

  if (prefix == NULL)
    return h->name_len == nlen && g_ascii_strncasecmp (h->name, name, nlen) == 0;
  return h->name_len == plen + 1 + nlen
         && g_ascii_strncasecmp (h->name, prefix, plen) == 0
         && h->name[plen] == '.'
         && g_ascii_strncasecmp (h->name + plen + 1, name, nlen) == 0;
}

/* NS: PREFIX <URN> (RFC 3862 §5.2): the prefix bound to the IMDN
 * namespace, or NULL. */
static char *
find_imdn_prefix (const Section *section)
{
  for (guint i = 0; i < section->n; i++)
    {
      g_autofree char *value = NULL;
      char *lt;

      if (!name_is (&section->header[i], NULL, "NS"))
        continue;
      value = dup_value (&section->header[i]);
      lt = strchr (value, '<');
      if (lt == NULL || !g_str_has_prefix (lt + 1, IMDN_NAMESPACE ">"))
        continue;
      *lt = '\0';
      g_strstrip (value);
      if (*value != '\0')
        return g_steal_pointer (&value);
    }
  return NULL;
}

static HailSipCpimDisposition
parse_disposition (const char *value)
{
  g_auto(GStrv) items = g_strsplit (value, ",", HAIL_SIP_CPIM_MAX_HEADERS);
  HailSipCpimDisposition disposition = HAIL_SIP_CPIM_DISPOSITION_NONE;

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (g_ascii_strcasecmp (item, "positive-delivery") == 0)
        disposition |= HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY;
      else if (g_ascii_strcasecmp (item, "negative-delivery") == 0)
        disposition |= HAIL_SIP_CPIM_DISPOSITION_NEGATIVE_DELIVERY;
      else if (g_ascii_strcasecmp (item, "display") == 0)
        disposition |= HAIL_SIP_CPIM_DISPOSITION_DISPLAY;
    }
  return disposition;
}

static void
set_once (char         **field,
          const Header  *h)
{
  if (*field == NULL)
    *field = dup_value (h);
}

HailSipCpim *
hail_sip_cpim_parse (const char  *data,
                     gsize        len,
                     GError     **error)
{
  g_autoptr(HailSipCpim) cpim = NULL;
  g_autofree char *prefix = NULL;
  Section *section = NULL;
  const char *p = data;
  const char *end = data + len;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len > HAIL_SIP_CPIM_MAX_SIZE)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "The CPIM message is larger than %d bytes", HAIL_SIP_CPIM_MAX_SIZE);
      return NULL;
    }
  section = g_new (Section, 1);
  cpim = g_new0 (HailSipCpim, 1);
  if (!read_section (&p, end, section, FALSE, "message", error))
    {
      g_free (section);
      return NULL;
    }
  prefix = find_imdn_prefix (section);
  for (guint i = 0; i < section->n; i++)
    {
      const Header *h = &section->header[i];

      if (name_is (h, NULL, "From"))
        set_once (&cpim->from, h);
      else if (name_is (h, NULL, "To"))
        set_once (&cpim->to, h);
      else if (name_is (h, NULL, "DateTime"))
        set_once (&cpim->datetime, h);
      else if (name_is (h, NULL, "Subject"))
        set_once (&cpim->subject, h);
      else if (prefix != NULL && name_is (h, prefix, "Message-ID"))
        set_once (&cpim->imdn_message_id, h);
      else if (prefix != NULL && name_is (h, prefix, "Disposition-Notification"))
        {
          g_autofree char *value = dup_value (h);

          cpim->disposition |= parse_disposition (value);
        }
    }
  if (!read_section (&p, end, section, TRUE, "content", error))
    {
      g_free (section);
      return NULL;
    }
  for (guint i = 0; i < section->n; i++)
    {
      const Header *h = &section->header[i];

      if (name_is (h, NULL, "Content-Type"))
        set_once (&cpim->content_type, h);
      else if (name_is (h, NULL, "Content-Disposition"))
        set_once (&cpim->content_disposition, h);
    }
  g_free (section);
  if (cpim->content_type == NULL)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The CPIM content has no Content-Type");
      return NULL;
    }
  cpim->body = g_bytes_new (p, end - p);
  return g_steal_pointer (&cpim);
}

void
hail_sip_cpim_free (HailSipCpim *self)
{
  if (self == NULL)
    return;
  g_free (self->from);
  g_free (self->to);
  g_free (self->datetime);
  g_free (self->subject);
  g_free (self->imdn_message_id);
  g_free (self->content_type);
  g_free (self->content_disposition);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

GBytes *
hail_sip_cpim_write (const char             *from,
                     const char             *to,
                     const char             *imdn_message_id,
                     HailSipCpimDisposition  disposition,
                     const char             *content_type,
                     const char             *content_disposition,
                     GBytes                 *body)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *datetime = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  GString *s;
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (from != NULL && to != NULL && content_type != NULL, NULL);

  s = g_string_new (NULL);
  g_string_append_printf (s, "From: %s\r\nTo: %s\r\nDateTime: %s\r\n", from, to, datetime);
  if (imdn_message_id != NULL)
    {
      g_string_append_printf (s, "NS: imdn <" IMDN_NAMESPACE ">\r\nimdn.Message-ID: %s\r\n",
                              imdn_message_id);
      if (disposition != HAIL_SIP_CPIM_DISPOSITION_NONE)
        {
          const char *sep = "";

          g_string_append (s, "imdn.Disposition-Notification: ");
          if (disposition & HAIL_SIP_CPIM_DISPOSITION_POSITIVE_DELIVERY)
            g_string_append (s, "positive-delivery"), sep = ", ";
          if (disposition & HAIL_SIP_CPIM_DISPOSITION_NEGATIVE_DELIVERY)
            g_string_append_printf (s, "%snegative-delivery", sep), sep = ", ";
          if (disposition & HAIL_SIP_CPIM_DISPOSITION_DISPLAY)
            g_string_append_printf (s, "%sdisplay", sep);
          g_string_append (s, "\r\n");
        }
    }
  g_string_append_printf (s, "\r\nContent-Type: %s\r\n", content_type);
  if (content_disposition != NULL)
    g_string_append_printf (s, "Content-Disposition: %s\r\n", content_disposition);
  g_string_append (s, "\r\n");
  if (body != NULL)
    {
      data = g_bytes_get_data (body, &len);
      g_string_append_len (s, data, len);
    }
  return g_string_free_to_bytes (s);
}
