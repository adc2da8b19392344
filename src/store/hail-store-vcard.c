/* hail-store-vcard.c: a bounded vCard 3.0 / 4.0 reader (RFC 2426, RFC 6350)
 * for the contact import. Pure parsing: no I/O, no SQL.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-private.h"

#include "hail-store-error.h"

#include <string.h>

void
_hail_store_vcard_free (HailStoreVcard *card)
{
  if (card == NULL)
    return;
  g_free (card->name);
  g_clear_pointer (&card->sip, g_ptr_array_unref);
  g_clear_pointer (&card->tel, g_ptr_array_unref);
  g_clear_pointer (&card->photo, g_bytes_unref);
  g_free (card->photo_ext);
  g_free (card->photo_path);
  g_free (card);
}

static HailStoreVcard *
card_new (void)
{
  HailStoreVcard *card = g_new0 (HailStoreVcard, 1);

  card->sip = g_ptr_array_new_with_free_func (g_free);
  card->tel = g_ptr_array_new_with_free_func (g_free);
  return card;
}

/* RFC 6350 §3.4: \n (or \N), \\, \, and \; stand for themselves. With
 * @stop_at_semicolon, an unescaped ';' ends the component (for N). */
static char *
unescape (const char   *value,
          const char  **end,
          gboolean      stop_at_semicolon)
{
  GString *out = g_string_new (NULL);
  const char *p = value;

  for (; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, (*p == 'n' || *p == 'N') ? '\n' : *p);
        }
      else if (*p == ';' && stop_at_semicolon)
        {
          break;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  if (end != NULL)
    *end = p;
  return g_string_free (out, FALSE);
}

static char *
name_from_n (const char *value)
{
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;
  const char *p = value;

  family = unescape (p, &p, TRUE);
  if (*p == ';')
    given = unescape (p + 1, &p, TRUE);
  if (given != NULL && *given != '\0' && *family != '\0')
    return g_strdup_printf ("%s %s", given, family);
  if (given != NULL && *given != '\0')
    return g_steal_pointer (&given);
  return *family != '\0' ? g_steal_pointer (&family) : NULL;
}

/* Sniffs the formats an avatar may have; NULL for anything else. */
const char *
_hail_store_vcard_image_type (GBytes *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "jpeg";
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  return NULL;
}

static void
add_value (GPtrArray  *values,
           char       *value)
{
  if (values->len >= HAIL_STORE_MAX_VCARD_VALUES)
    {
      g_debug ("vCard: more than %d values of one kind, ignoring the rest",
               HAIL_STORE_MAX_VCARD_VALUES);
      g_free (value);
      return;
    }
  for (guint i = 0; i < values->len; i++)
    {
      if (g_strcmp0 (values->pdata[i], value) == 0)
        {
          g_free (value);
          return;
        }
    }
  g_ptr_array_add (values, value);
}

static gboolean
has_prefix_ci (const char *s,
               const char *prefix)
{
  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

static void
add_sip (HailStoreVcard *card,
         const char     *value,
         gboolean        bare_allowed)
{
  g_autofree char *text = g_strstrip (unescape (value, NULL, FALSE));

  if (has_prefix_ci (text, "sip:") || has_prefix_ci (text, "sips:"))
    add_value (card->sip, g_steal_pointer (&text));
  else if (bare_allowed && *text != '\0' && strchr (text, ':') == NULL)
    add_value (card->sip, g_strconcat ("sip:", text, NULL));
}

static void
add_tel (HailStoreVcard *card,
         const char     *value)
{
  g_autofree char *text = g_strstrip (unescape (value, NULL, FALSE));
  const char *number = has_prefix_ci (text, "tel:") ? text + 4 : text;

  if (*number != '\0')
    add_value (card->tel, g_strdup (number));
}

static void
set_photo_bytes (HailStoreVcard *card,
                 const char     *base64)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *copy = NULL;
  guchar *data;
  gsize len = 0;

  /* Base64 is 4/3 of the data: refuse before decoding anything too big. */
  if (strlen (base64) / 4 * 3 > HAIL_STORE_MAX_VCARD_PHOTO)
    {
      g_debug ("vCard: inline PHOTO larger than %d bytes, ignored", HAIL_STORE_MAX_VCARD_PHOTO);
      return;
    }
  copy = g_new (char, strlen (base64) + 1);
  len = 0;
  for (const char *p = base64; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      copy[len++] = *p;
  copy[len] = '\0';
  /* g_base64_decode_inplace() refuses (with a critical) less than 2 bytes;
   * no image is smaller than a base64 quantum anyway. */
  if (len < 4)
    {
      g_debug ("vCard: inline PHOTO too short, ignored");
      return;
    }
  data = g_base64_decode_inplace (copy, &len);
  bytes = g_bytes_new (data, len);
  if (_hail_store_vcard_image_type (bytes) == NULL)
    {
      g_debug ("vCard: inline PHOTO is not JPEG, PNG or GIF, ignored");
      return;
    }
  g_clear_pointer (&card->photo, g_bytes_unref);
  g_clear_pointer (&card->photo_path, g_free);
  g_free (card->photo_ext);
  card->photo_ext = g_strdup (_hail_store_vcard_image_type (bytes));
  card->photo = g_steal_pointer (&bytes);
}

static void
set_photo (HailStoreVcard *card,
           const char     *params,
           const char     *value)
{
  g_autofree char *lower = g_ascii_strdown (params, -1);

  if (strstr (lower, "encoding=b") != NULL || strstr (lower, "encoding=base64") != NULL)
    {
      set_photo_bytes (card, value);
    }
  else if (has_prefix_ci (value, "data:"))
    {
      const char *comma = strchr (value, ',');

      if (comma != NULL && g_strstr_len (value, comma - value, ";base64") != NULL)
        set_photo_bytes (card, comma + 1);
    }
  else if (has_prefix_ci (value, "file:"))
    {
      g_autofree char *path = g_filename_from_uri (value, NULL, NULL);

      if (path != NULL)
        {
          g_clear_pointer (&card->photo, g_bytes_unref);
          g_free (card->photo_path);
          card->photo_path = g_steal_pointer (&path);
        }
    }
  else
    {
      /* http(s) and other URIs would need the network: never fetched. */
      g_debug ("vCard: PHOTO URI ignored");
    }
}

/* Splits "group.NAME;PARAMS:VALUE": the colon ends the name and parameters
 * unless it is inside a quoted parameter value. */
static gboolean
split_line (char        *line,
            char       **name,
            char       **params,
            char       **value)
{
  gboolean quoted = FALSE;
  char *p;
  char *dot;
  char *semi;

  for (p = line; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        break;
    }
  if (*p != ':')
    return FALSE;
  *p = '\0';
  *value = p + 1;

  semi = strchr (line, ';');
  if (semi != NULL)
    {
      *semi = '\0';
      *params = semi + 1;
    }
  else
    {
      *params = p;   /* the empty string at the old colon */
    }
  dot = strrchr (line, '.');
  *name = g_strstrip (dot != NULL ? dot + 1 : line);
  return TRUE;
}

typedef struct {
  GPtrArray      *cards;
  HailStoreVcard *card;      /* the open card, or NULL between cards */
  char           *n_name;    /* from N, used when there is no FN */
  guint           props;
  guint           line_no;
} Parser;

static gboolean
finish_card (Parser  *parser,
             GError **error)
{
  g_autoptr(HailStoreVcard) card = g_steal_pointer (&parser->card);
  g_autofree char *n_name = g_steal_pointer (&parser->n_name);

  if (card->name == NULL || *card->name == '\0')
    {
      g_free (card->name);
      if (n_name != NULL)
        card->name = g_steal_pointer (&n_name);
      else if (card->sip->len > 0)
        card->name = g_strdup (card->sip->pdata[0]);
      else if (card->tel->len > 0)
        card->name = g_strdup (card->tel->pdata[0]);
      else
        card->name = NULL;
    }
  if (card->name == NULL)
    {
      g_debug ("vCard: card ending on line %u has no name nor address, skipped",
               parser->line_no);
      return TRUE;
    }
  if (parser->cards->len >= HAIL_STORE_MAX_VCARD_CARDS)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The vCard file has more than %d contacts", HAIL_STORE_MAX_VCARD_CARDS);
      return FALSE;
    }
  g_ptr_array_add (parser->cards, g_steal_pointer (&card));
  return TRUE;
}

static gboolean
parse_line (Parser  *parser,
            char    *line,
            GError **error)
{
  char *name;
  char *params;
  char *value;

  if (*line == '\0')
    return TRUE;
  if (!split_line (line, &name, &params, &value))
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "Line %u of the vCard file has no ':'", parser->line_no);
      return FALSE;
    }

  if (g_ascii_strcasecmp (name, "BEGIN") == 0 && g_ascii_strcasecmp (value, "VCARD") == 0)
    {
      if (parser->card != NULL)
        {
          g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                       "Line %u of the vCard file begins a card inside a card",
                       parser->line_no);
          return FALSE;
        }
      parser->card = card_new ();
      parser->props = 0;
      return TRUE;
    }
  if (parser->card == NULL)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "Line %u of the vCard file is outside BEGIN:VCARD … END:VCARD",
                   parser->line_no);
      return FALSE;
    }
  if (g_ascii_strcasecmp (name, "END") == 0 && g_ascii_strcasecmp (value, "VCARD") == 0)
    return finish_card (parser, error);

  if (++parser->props > HAIL_STORE_MAX_VCARD_PROPS)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "A card of the vCard file has more than %d properties",
                   HAIL_STORE_MAX_VCARD_PROPS);
      return FALSE;
    }

  if (g_ascii_strcasecmp (name, "FN") == 0)
    {
      g_free (parser->card->name);
      parser->card->name = g_strstrip (unescape (value, NULL, FALSE));
    }
  else if (g_ascii_strcasecmp (name, "N") == 0)
    {
      g_free (parser->n_name);
      parser->n_name = name_from_n (value);
    }
  else if (g_ascii_strcasecmp (name, "TEL") == 0)
    {
      add_tel (parser->card, value);
    }
  else if (g_ascii_strcasecmp (name, "IMPP") == 0 || g_ascii_strcasecmp (name, "URL") == 0)
    {
      add_sip (parser->card, value, FALSE);
    }
  else if (g_ascii_strcasecmp (name, "X-SIP") == 0)
    {
      add_sip (parser->card, value, TRUE);
    }
  else if (g_ascii_strcasecmp (name, "PHOTO") == 0)
    {
      set_photo (parser->card, params, value);
    }
  return TRUE;
}

GPtrArray *
_hail_store_vcard_parse (const char  *data,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(GPtrArray) cards =
    g_ptr_array_new_with_free_func ((GDestroyNotify) _hail_store_vcard_free);
  g_autoptr(GString) line = g_string_new (NULL);
  Parser parser = { cards, NULL, NULL, 0, 0 };
  gsize i = 0;
  guint physical = 0;
  guint logical_start = 1;
  gboolean ok = TRUE;

  if (len > HAIL_STORE_MAX_VCARD_FILE)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The vCard file is larger than %d bytes", HAIL_STORE_MAX_VCARD_FILE);
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The vCard file is not UTF-8 text");
      return NULL;
    }

  /* Unfold (RFC 6350 §3.2): a line break followed by a space or tab joins
   * the next physical line to this logical one. */
  while (ok && i < len)
    {
      const char *eol = memchr (data + i, '\n', len - i);
      gsize end = eol != NULL ? (gsize) (eol - data) : len;
      gsize content_end = end > i && data[end - 1] == '\r' ? end - 1 : end;

      physical++;
      if (content_end > i && (data[i] == ' ' || data[i] == '\t') && physical > 1)
        {
          g_string_append_len (line, data + i + 1, content_end - i - 1);
        }
      else
        {
          parser.line_no = logical_start;
          ok = parse_line (&parser, line->str, error);
          g_string_truncate (line, 0);
          g_string_append_len (line, data + i, content_end - i);
          logical_start = physical;
        }
      if (ok && line->len > HAIL_STORE_MAX_VCARD_LINE)
        {
          g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                       "Line %u of the vCard file is longer than %d bytes", logical_start,
                       HAIL_STORE_MAX_VCARD_LINE);
          ok = FALSE;
        }
      i = end + 1;
    }
  parser.line_no = logical_start;
  if (ok)
    ok = parse_line (&parser, line->str, error);

  if (ok && parser.card != NULL)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The vCard file ends inside a card (no END:VCARD)");
      ok = FALSE;
    }
  g_clear_pointer (&parser.card, _hail_store_vcard_free);
  g_clear_pointer (&parser.n_name, g_free);
  if (!ok)
    return NULL;
  return g_steal_pointer (&cards);
}
