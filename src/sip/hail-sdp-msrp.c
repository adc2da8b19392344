/* hail-sdp-msrp.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sdp-msrp.h"
#include "hail-sdp-private.h"
#include "hail-sip-error.h"

#include <string.h>

static const char * const setup_names[] = { "active", "passive", "actpass", "holdconn" };
static const char * const connection_names[] = { "new", "existing" };

static GStrv
split_list (const char *value)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = g_strsplit (value, " ", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

/**
 * hail_sdp_msrp_path_parse:
 *
 * RFC 4975 §8.2: a space-separated list of msrp: or msrps: URIs.
 *
 * Returns: (transfer full): the URIs, or NULL with HAIL_SIP_ERROR_MALFORMED
 */
GStrv
hail_sdp_msrp_path_parse (const char  *value,
                          GError     **error)
{
  g_auto(GStrv) uris = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (value == NULL)
    {
      _hail_sdp_malformed (error, "empty MSRP path");
      return NULL;
    }
  uris = split_list (value);
  if (uris[0] == NULL)
    {
      _hail_sdp_malformed (error, "empty MSRP path");
      return NULL;
    }
  for (guint i = 0; uris[i] != NULL; i++)
    {
      const char *u = uris[i];
      gsize scheme = g_ascii_strncasecmp (u, "msrp://", 7) == 0 ? 7
                     : g_ascii_strncasecmp (u, "msrps://", 8) == 0 ? 8 : 0;

      if (scheme == 0 || u[scheme] == '\0')
        {
          _hail_sdp_malformed (error, "MSRP path holds a URI that is not msrp: or msrps:");
          return NULL;
        }
    }
  return g_steal_pointer (&uris);
}

/* RFC 4975 §8.6: "*", or type "/" (subtype or "*"), with optional ";"
 * parameters, which some clients send. */
static gboolean
valid_types (const char *value)
{
  g_auto(GStrv) types = NULL;

  if (value == NULL)
    return FALSE;
  types = split_list (value);
  if (types[0] == NULL)
    return FALSE;
  for (guint i = 0; types[i] != NULL; i++)
    {
      const char *slash = strchr (types[i], '/');

      if (g_str_equal (types[i], "*"))
        continue;
      if (slash == NULL || slash == types[i] || slash[1] == '\0')
        return FALSE;
    }
  return TRUE;
}

static GStrv
dup_types (const HailSdpMedia *media,
           const char         *name)
{
  const char *value = hail_sdp_media_get_attribute (media, name);

  return valid_types (value) ? split_list (value) : NULL;
}

/* Returns: (transfer full) (nullable): a=path's URIs, NULL when absent. */
GStrv
hail_sdp_media_dup_msrp_path (const HailSdpMedia *media)
{
  const char *value;

  g_return_val_if_fail (media != NULL, NULL);

  value = hail_sdp_media_get_attribute (media, "path");
  return value != NULL ? hail_sdp_msrp_path_parse (value, NULL) : NULL;
}

GStrv
hail_sdp_media_dup_accept_types (const HailSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, NULL);
  return dup_types (media, "accept-types");
}

GStrv
hail_sdp_media_dup_accept_wrapped_types (const HailSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, NULL);
  return dup_types (media, "accept-wrapped-types");
}

static gboolean
parse_u64 (const char *s,
           guint64    *out)
{
  return s != NULL && _hail_sdp_parse_uint (s, strlen (s), G_MAXUINT64, out);
}

static gboolean
parse_file_range (const char *value,
                  guint64    *start,
                  gint64     *stop)
{
  const char *dash = value != NULL ? strchr (value, '-') : NULL;
  guint64 end;

  if (dash == NULL || !_hail_sdp_parse_uint (value, (gsize) (dash - value), G_MAXINT64, start)
      || *start < 1)
    return FALSE;
  if (g_str_equal (dash + 1, "*"))
    {
      *stop = -1;
      return TRUE;
    }
  if (!parse_u64 (dash + 1, &end) || end > G_MAXINT64 || end < *start)
    return FALSE;
  *stop = (gint64) end;
  return TRUE;
}

gboolean
hail_sdp_media_get_file_range (const HailSdpMedia *media,
                               guint64            *start,
                               gint64             *stop)
{
  g_return_val_if_fail (media != NULL, FALSE);
  g_return_val_if_fail (start != NULL && stop != NULL, FALSE);

  return parse_file_range (hail_sdp_media_get_attribute (media, "file-range"), start, stop);
}

gboolean
hail_sdp_media_get_max_size (const HailSdpMedia *media,
                             guint64            *max_size)
{
  g_return_val_if_fail (media != NULL, FALSE);
  g_return_val_if_fail (max_size != NULL, FALSE);

  return parse_u64 (hail_sdp_media_get_attribute (media, "max-size"), max_size);
}

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *name,
             guint              *index)
{
  for (guint i = 0; name != NULL && i < n_names; i++)
    if (g_str_equal (name, names[i]))
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

const char *
hail_sdp_setup_to_string (HailSdpSetup setup)
{
  g_return_val_if_fail (setup <= HAIL_SDP_SETUP_HOLDCONN, NULL);
  return setup_names[setup];
}

gboolean
hail_sdp_setup_from_string (const char   *name,
                            HailSdpSetup *setup)
{
  guint i;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (setup != NULL, FALSE);

  if (!lookup_name (setup_names, G_N_ELEMENTS (setup_names), name, &i))
    return FALSE;
  *setup = (HailSdpSetup) i;
  return TRUE;
}

gboolean
hail_sdp_media_get_setup (const HailSdpMedia *media,
                          HailSdpSetup       *setup)
{
  const char *value;

  g_return_val_if_fail (media != NULL, FALSE);
  g_return_val_if_fail (setup != NULL, FALSE);

  value = hail_sdp_media_get_attribute (media, "setup");
  return value != NULL && hail_sdp_setup_from_string (value, setup);
}

gboolean
hail_sdp_media_get_connection_mode (const HailSdpMedia    *media,
                                    HailSdpConnectionMode *mode)
{
  guint i;

  g_return_val_if_fail (media != NULL, FALSE);
  g_return_val_if_fail (mode != NULL, FALSE);

  if (!lookup_name (connection_names, G_N_ELEMENTS (connection_names),
                    hail_sdp_media_get_attribute (media, "connection"), &i))
    return FALSE;
  *mode = (HailSdpConnectionMode) i;
  return TRUE;
}

void
hail_sdp_file_selector_free (HailSdpFileSelector *selector)
{
  if (selector == NULL)
    return;
  g_free (selector->name);
  g_free (selector->type);
  g_free (selector->hash_algorithm);
  g_free (selector->hash);
  g_free (selector);
}

/* hash-value = 2HEXDIG *(":" 2HEXDIG) (RFC 5547 §6). */
static gboolean
valid_hash (const char *s)
{
  gsize len = strlen (s);

  if (len < 2 || (len + 1) % 3 != 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (i % 3 == 2 ? s[i] != ':' : !g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* The end of a selector starting at @p: the next space outside quotes. */
static const char *
selector_end (const char *p)
{
  gboolean quoted = FALSE;

  for (; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ' ' && !quoted)
        break;
    }
  return p;
}

static gboolean
parse_selector (HailSdpFileSelector *sel,
                const char          *s,
                gsize                len,
                GError             **error)
{
  g_autofree char *item = g_strndup (s, len);

  if (g_str_has_prefix (item, "name:"))
    {
      gsize n = strlen (item + 5);

      if (sel->name != NULL)
        return _hail_sdp_malformed (error, "file-selector repeats name");
      /* filename-string excludes DQUOTE (RFC 5547 §6): exactly one pair. */
      if (n < 2 || item[5] != '"' || item[4 + n] != '"' || memchr (item + 6, '"', n - 2) != NULL)
        return _hail_sdp_malformed (error, "file-selector name is not one quoted string");
      sel->name = g_strndup (item + 6, n - 2);
    }
  else if (g_str_has_prefix (item, "type:"))
    {
      const char *slash = strchr (item + 5, '/');

      if (sel->type != NULL)
        return _hail_sdp_malformed (error, "file-selector repeats type");
      if (slash == NULL || slash == item + 5 || slash[1] == '\0')
        return _hail_sdp_malformed (error, "file-selector type is not <type>/<subtype>");
      sel->type = g_strdup (item + 5);
    }
  else if (g_str_has_prefix (item, "size:"))
    {
      guint64 size;

      if (sel->size >= 0)
        return _hail_sdp_malformed (error, "file-selector repeats size");
      if (!parse_u64 (item + 5, &size) || size > G_MAXINT64)
        return _hail_sdp_malformed (error, "file-selector size is not a number");
      sel->size = (gint64) size;
    }
  else if (g_str_has_prefix (item, "hash:"))
    {
      char *colon = strchr (item + 5, ':');

      if (sel->hash != NULL)
        return _hail_sdp_malformed (error, "file-selector repeats hash");
      if (colon == NULL || colon == item + 5 || !valid_hash (colon + 1))
        return _hail_sdp_malformed (error, "file-selector hash is not <algorithm>:<hex pairs>");
      sel->hash_algorithm = g_strndup (item + 5, (gsize) (colon - (item + 5)));
      sel->hash = g_strdup (colon + 1);
    }
  else
    return _hail_sdp_malformed (error, "unknown file-selector part");
  return TRUE;
}

/**
 * hail_sdp_file_selector_parse:
 *
 * Returns: (transfer full): the selector, or NULL with HAIL_SIP_ERROR_MALFORMED
 */
HailSdpFileSelector *
hail_sdp_file_selector_parse (const char  *value,
                              GError     **error)
{
  g_autoptr(HailSdpFileSelector) sel = g_new0 (HailSdpFileSelector, 1);
  const char *p = value;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sel->size = -1;
  /* RFC 5547 §6 allows a bare a=file-selector. */
  if (value == NULL)
    return g_steal_pointer (&sel);
  while (*p != '\0')
    {
      const char *end;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      end = selector_end (p);
      if (!parse_selector (sel, p, (gsize) (end - p), error))
        return NULL;
      p = end;
    }
  return g_steal_pointer (&sel);
}

HailSdpFileSelector *
hail_sdp_media_dup_file_selector (const HailSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, NULL);

  if (!hail_sdp_media_has_attribute (media, "file-selector"))
    return NULL;
  return hail_sdp_file_selector_parse (hail_sdp_media_get_attribute (media, "file-selector"),
                                       NULL);
}

static void
replace_attribute (HailSdpMedia *media,
                   const char   *name,
                   const char   *value)
{
  hail_sdp_media_remove_attributes (media, name);
  hail_sdp_media_add_attribute (media, name, value);
}

static void
replace_list_attribute (HailSdpMedia       *media,
                        const char         *name,
                        const char * const *items)
{
  g_autofree char *value = g_strjoinv (" ", (GStrv) items);

  replace_attribute (media, name, value);
}

void
hail_sdp_media_set_msrp_path (HailSdpMedia       *media,
                              const char * const *uris)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (uris != NULL && uris[0] != NULL);

  replace_list_attribute (media, "path", uris);
}

void
hail_sdp_media_set_accept_types (HailSdpMedia       *media,
                                 const char * const *types)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (types != NULL && types[0] != NULL);

  replace_list_attribute (media, "accept-types", types);
}

void
hail_sdp_media_set_accept_wrapped_types (HailSdpMedia       *media,
                                         const char * const *types)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (types != NULL && types[0] != NULL);

  replace_list_attribute (media, "accept-wrapped-types", types);
}

void
hail_sdp_media_set_max_size (HailSdpMedia *media,
                             guint64       max_size)
{
  g_autofree char *value = NULL;

  g_return_if_fail (media != NULL);

  value = g_strdup_printf ("%" G_GUINT64_FORMAT, max_size);
  replace_attribute (media, "max-size", value);
}

void
hail_sdp_media_set_setup (HailSdpMedia *media,
                          HailSdpSetup  setup)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (setup <= HAIL_SDP_SETUP_HOLDCONN);

  replace_attribute (media, "setup", setup_names[setup]);
}

void
hail_sdp_media_set_connection_mode (HailSdpMedia          *media,
                                    HailSdpConnectionMode  mode)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (mode <= HAIL_SDP_CONNECTION_MODE_EXISTING);

  replace_attribute (media, "connection", connection_names[mode]);
}

void
hail_sdp_media_set_file_selector (HailSdpMedia              *media,
                                  const HailSdpFileSelector *selector)
{
  g_autoptr(GString) value = g_string_new (NULL);

  g_return_if_fail (media != NULL);
  g_return_if_fail (selector != NULL);
  g_return_if_fail (selector->name == NULL || strchr (selector->name, '"') == NULL);

  if (selector->name != NULL)
    g_string_append_printf (value, " name:\"%s\"", selector->name);
  if (selector->type != NULL)
    g_string_append_printf (value, " type:%s", selector->type);
  if (selector->size >= 0)
    g_string_append_printf (value, " size:%" G_GINT64_FORMAT, selector->size);
  if (selector->hash_algorithm != NULL && selector->hash != NULL)
    g_string_append_printf (value, " hash:%s:%s", selector->hash_algorithm, selector->hash);
  replace_attribute (media, "file-selector", value->len > 0 ? value->str + 1 : NULL);
}

void
hail_sdp_media_set_file_transfer_id (HailSdpMedia *media,
                                     const char   *id)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (id != NULL && *id != '\0');

  replace_attribute (media, "file-transfer-id", id);
}

void
hail_sdp_media_set_file_range (HailSdpMedia *media,
                               guint64       start,
                               gint64        stop)
{
  g_autofree char *value = NULL;

  g_return_if_fail (media != NULL);
  g_return_if_fail (start >= 1 && start <= G_MAXINT64);
  g_return_if_fail (stop < 0 || (guint64) stop >= start);

  value = stop < 0 ? g_strdup_printf ("%" G_GUINT64_FORMAT "-*", start)
                   : g_strdup_printf ("%" G_GUINT64_FORMAT "-%" G_GINT64_FORMAT, start, stop);
  replace_attribute (media, "file-range", value);
}

void
hail_sdp_media_set_file_disposition (HailSdpMedia *media,
                                     const char   *disposition)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (disposition != NULL && *disposition != '\0');

  replace_attribute (media, "file-disposition", disposition);
}

gboolean
_hail_sdp_msrp_validate (const char  *name,
                         const char  *value,
                         GError     **error)
{
  guint i;

  if (g_str_equal (name, "path"))
    {
      g_auto(GStrv) uris = hail_sdp_msrp_path_parse (value, error);
      return uris != NULL;
    }
  if (g_str_equal (name, "accept-types") || g_str_equal (name, "accept-wrapped-types"))
    return valid_types (value) || _hail_sdp_malformed (error, "not a list of media types");
  if (g_str_equal (name, "setup"))
    return lookup_name (setup_names, G_N_ELEMENTS (setup_names), value, &i)
           || _hail_sdp_malformed (error, "not active, passive, actpass or holdconn");
  if (g_str_equal (name, "connection"))
    return lookup_name (connection_names, G_N_ELEMENTS (connection_names), value, &i)
           || _hail_sdp_malformed (error, "not new or existing");
  if (g_str_equal (name, "file-range"))
    {
      guint64 start;
      gint64 stop;

      return parse_file_range (value, &start, &stop)
             || _hail_sdp_malformed (error, "not <start>-<stop> bytes from 1");
    }
  if (g_str_equal (name, "file-selector"))
    {
      g_autoptr(HailSdpFileSelector) sel = hail_sdp_file_selector_parse (value, error);
      return sel != NULL;
    }
  return TRUE;
}
