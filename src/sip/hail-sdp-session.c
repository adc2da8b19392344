/* hail-sdp-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sdp-session.h"
#include "hail-sdp-private.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (HailSdpSession, hail_sdp_session,
                     hail_sdp_session_ref, hail_sdp_session_unref)

void
_hail_sdp_connection_free (HailSdpConnection *conn)
{
  if (conn == NULL)
    return;
  g_free (conn->nettype);
  g_free (conn->addrtype);
  g_free (conn->address);
  g_free (conn);
}

HailSdpBandwidth *
_hail_sdp_bandwidth_new (const char *type,
                         guint64     value)
{
  HailSdpBandwidth *bw = g_new0 (HailSdpBandwidth, 1);

  bw->type = g_strdup (type);
  bw->value = value;
  return bw;
}

void
_hail_sdp_bandwidth_free (HailSdpBandwidth *bw)
{
  g_free (bw->type);
  g_free (bw);
}

HailSdpAttribute *
_hail_sdp_attribute_new (const char *name,
                         const char *value)
{
  HailSdpAttribute *attr = g_new0 (HailSdpAttribute, 1);

  attr->name = g_strdup (name);
  attr->value = g_strdup (value);
  return attr;
}

void
_hail_sdp_attribute_free (HailSdpAttribute *attr)
{
  g_free (attr->name);
  g_free (attr->value);
  g_free (attr);
}

HailSdpTime *
_hail_sdp_time_new (guint64 start,
                    guint64 stop)
{
  HailSdpTime *t = g_new0 (HailSdpTime, 1);

  t->start = start;
  t->stop = stop;
  t->repeats = g_ptr_array_new_with_free_func (g_free);
  return t;
}

static void
time_free (HailSdpTime *t)
{
  g_ptr_array_unref (t->repeats);
  g_free (t);
}

HailSdpMedia *
_hail_sdp_media_new (void)
{
  HailSdpMedia *media = g_new0 (HailSdpMedia, 1);

  media->n_ports = 1;
  media->formats = g_ptr_array_new_with_free_func (g_free);
  media->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) _hail_sdp_connection_free);
  media->bandwidths = g_ptr_array_new_with_free_func ((GDestroyNotify) _hail_sdp_bandwidth_free);
  media->attributes = g_ptr_array_new_with_free_func ((GDestroyNotify) _hail_sdp_attribute_free);
  return media;
}

static void
media_free (HailSdpMedia *media)
{
  g_free (media->media);
  g_free (media->proto);
  g_free (media->info);
  g_free (media->key);
  g_ptr_array_unref (media->formats);
  g_ptr_array_unref (media->connections);
  g_ptr_array_unref (media->bandwidths);
  g_ptr_array_unref (media->attributes);
  g_free (media);
}

static void
session_clear (HailSdpSession *self)
{
  g_free (self->origin.username);
  g_free (self->origin.nettype);
  g_free (self->origin.addrtype);
  g_free (self->origin.address);
  g_free (self->name);
  g_free (self->info);
  g_free (self->uri);
  g_ptr_array_unref (self->emails);
  g_ptr_array_unref (self->phones);
  _hail_sdp_connection_free (self->connection);
  g_ptr_array_unref (self->bandwidths);
  g_ptr_array_unref (self->times);
  g_free (self->zone);
  g_free (self->key);
  g_ptr_array_unref (self->attributes);
  g_ptr_array_unref (self->media);
}

HailSdpSession *
_hail_sdp_session_alloc (void)
{
  HailSdpSession *self = g_atomic_rc_box_new0 (HailSdpSession);

  self->emails = g_ptr_array_new_with_free_func (g_free);
  self->phones = g_ptr_array_new_with_free_func (g_free);
  self->bandwidths = g_ptr_array_new_with_free_func ((GDestroyNotify) _hail_sdp_bandwidth_free);
  self->times = g_ptr_array_new_with_free_func ((GDestroyNotify) time_free);
  self->attributes = g_ptr_array_new_with_free_func ((GDestroyNotify) _hail_sdp_attribute_free);
  self->media = g_ptr_array_new_with_free_func ((GDestroyNotify) media_free);
  return self;
}

static HailSdpConnection *
connection_new_for_address (const char *address)
{
  HailSdpConnection *conn = g_new0 (HailSdpConnection, 1);

  conn->nettype = g_strdup ("IN");
  /* Only IPv6 literals contain a colon; names and dotted quads are IP4. */
  conn->addrtype = g_strdup (strchr (address, ':') != NULL ? "IP6" : "IP4");
  conn->address = g_strdup (address);
  conn->n_addresses = 1;
  return conn;
}

static void
append_connection (GString                 *out,
                   const HailSdpConnection *conn)
{
  g_string_append_printf (out, "c=%s %s %s", conn->nettype, conn->addrtype, conn->address);
  if (conn->ttl > 0)
    g_string_append_printf (out, "/%u", conn->ttl);
  if (conn->n_addresses > 1)
    g_string_append_printf (out, "/%u", conn->n_addresses);
  g_string_append (out, "\r\n");
}

static void
append_bandwidths (GString         *out,
                   const GPtrArray *bandwidths)
{
  for (guint i = 0; i < bandwidths->len; i++)
    {
      const HailSdpBandwidth *bw = g_ptr_array_index (bandwidths, i);

      g_string_append_printf (out, "b=%s:%" G_GUINT64_FORMAT "\r\n", bw->type, bw->value);
    }
}

static void
append_attributes (GString         *out,
                   const GPtrArray *attributes)
{
  for (guint i = 0; i < attributes->len; i++)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (attributes, i);

      if (attr->value != NULL)
        g_string_append_printf (out, "a=%s:%s\r\n", attr->name, attr->value);
      else
        g_string_append_printf (out, "a=%s\r\n", attr->name);
    }
}

static const char *
find_attribute (const GPtrArray *attributes,
                const char      *name,
                gboolean        *found)
{
  for (guint i = 0; i < attributes->len; i++)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (attributes, i);

      if (g_str_equal (attr->name, name))
        {
          *found = TRUE;
          return attr->value;
        }
    }
  *found = FALSE;
  return NULL;
}

/**
 * hail_sdp_session_new:
 *
 * Starts building a session: o= with IN and the address family of @address,
 * s=-, c= for @address and t=0 0, the fixed lines of a SIP offer or answer.
 */
HailSdpSession *
hail_sdp_session_new (const char *username,
                      guint64     sess_id,
                      guint64     sess_version,
                      const char *address)
{
  HailSdpSession *self;

  g_return_val_if_fail (address != NULL && *address != '\0', NULL);

  self = _hail_sdp_session_alloc ();
  hail_sdp_session_set_origin (self, username, sess_id, sess_version, address);
  self->name = g_strdup ("-");
  self->connection = connection_new_for_address (address);
  g_ptr_array_add (self->times, _hail_sdp_time_new (0, 0));
  return self;
}

HailSdpSession *
hail_sdp_session_parse_bytes (GBytes  *bytes,
                              GError **error)
{
  gsize len = 0;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  return hail_sdp_session_parse (data, len, error);
}

HailSdpSession *
hail_sdp_session_ref (HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
hail_sdp_session_unref (HailSdpSession *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, (GDestroyNotify) session_clear);
}

static HailSdpConnection *
connection_copy (const HailSdpConnection *conn)
{
  HailSdpConnection *copy = g_new0 (HailSdpConnection, 1);

  copy->nettype = g_strdup (conn->nettype);
  copy->addrtype = g_strdup (conn->addrtype);
  copy->address = g_strdup (conn->address);
  copy->ttl = conn->ttl;
  copy->n_addresses = conn->n_addresses;
  return copy;
}

static void
copy_bandwidths (GPtrArray       *to,
                 const GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    {
      const HailSdpBandwidth *bw = g_ptr_array_index (from, i);

      g_ptr_array_add (to, _hail_sdp_bandwidth_new (bw->type, bw->value));
    }
}

static void
copy_attributes (GPtrArray       *to,
                 const GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (from, i);

      g_ptr_array_add (to, _hail_sdp_attribute_new (attr->name, attr->value));
    }
}

static void
copy_strings (GPtrArray       *to,
              const GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
}

/**
 * hail_sdp_session_copy:
 *
 * Returns: (transfer full): a deep copy with a reference count of one, which
 * the builder functions may change (to derive an answer or a re-offer).
 */
HailSdpSession *
hail_sdp_session_copy (const HailSdpSession *self)
{
  HailSdpSession *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = _hail_sdp_session_alloc ();
  copy->origin.username = g_strdup (self->origin.username);
  copy->origin.sess_id = self->origin.sess_id;
  copy->origin.sess_version = self->origin.sess_version;
  copy->origin.nettype = g_strdup (self->origin.nettype);
  copy->origin.addrtype = g_strdup (self->origin.addrtype);
  copy->origin.address = g_strdup (self->origin.address);
  copy->name = g_strdup (self->name);
  copy->info = g_strdup (self->info);
  copy->uri = g_strdup (self->uri);
  copy_strings (copy->emails, self->emails);
  copy_strings (copy->phones, self->phones);
  if (self->connection != NULL)
    copy->connection = connection_copy (self->connection);
  copy_bandwidths (copy->bandwidths, self->bandwidths);
  for (guint i = 0; i < self->times->len; i++)
    {
      const HailSdpTime *t = g_ptr_array_index (self->times, i);
      HailSdpTime *tc = _hail_sdp_time_new (t->start, t->stop);

      copy_strings (tc->repeats, t->repeats);
      g_ptr_array_add (copy->times, tc);
    }
  copy->zone = g_strdup (self->zone);
  copy->key = g_strdup (self->key);
  copy_attributes (copy->attributes, self->attributes);
  for (guint i = 0; i < self->media->len; i++)
    {
      const HailSdpMedia *m = g_ptr_array_index (self->media, i);
      HailSdpMedia *mc = _hail_sdp_media_new ();

      mc->media = g_strdup (m->media);
      mc->port = m->port;
      mc->n_ports = m->n_ports;
      mc->proto = g_strdup (m->proto);
      copy_strings (mc->formats, m->formats);
      mc->info = g_strdup (m->info);
      for (guint j = 0; j < m->connections->len; j++)
        g_ptr_array_add (mc->connections, connection_copy (g_ptr_array_index (m->connections, j)));
      copy_bandwidths (mc->bandwidths, m->bandwidths);
      mc->key = g_strdup (m->key);
      copy_attributes (mc->attributes, m->attributes);
      g_ptr_array_add (copy->media, mc);
    }
  return copy;
}

/**
 * hail_sdp_session_to_string:
 *
 * Writes the session in the order of RFC 8866 §5 with CRLF line ends.
 *
 * Returns: (transfer full): the body
 */
char *
hail_sdp_session_to_string (const HailSdpSession *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  out = g_string_sized_new (512);
  g_string_append_printf (out, "v=0\r\no=%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                          " %s %s %s\r\n",
                          self->origin.username, self->origin.sess_id,
                          self->origin.sess_version, self->origin.nettype,
                          self->origin.addrtype, self->origin.address);
  g_string_append_printf (out, "s=%s\r\n", self->name);
  if (self->info != NULL)
    g_string_append_printf (out, "i=%s\r\n", self->info);
  if (self->uri != NULL)
    g_string_append_printf (out, "u=%s\r\n", self->uri);
  for (guint i = 0; i < self->emails->len; i++)
    g_string_append_printf (out, "e=%s\r\n", (const char *) g_ptr_array_index (self->emails, i));
  for (guint i = 0; i < self->phones->len; i++)
    g_string_append_printf (out, "p=%s\r\n", (const char *) g_ptr_array_index (self->phones, i));
  if (self->connection != NULL)
    append_connection (out, self->connection);
  append_bandwidths (out, self->bandwidths);
  for (guint i = 0; i < self->times->len; i++)
    {
      const HailSdpTime *t = g_ptr_array_index (self->times, i);

      g_string_append_printf (out, "t=%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT "\r\n",
                              t->start, t->stop);
      for (guint j = 0; j < t->repeats->len; j++)
        g_string_append_printf (out, "r=%s\r\n", (const char *) g_ptr_array_index (t->repeats, j));
    }
  if (self->zone != NULL)
    g_string_append_printf (out, "z=%s\r\n", self->zone);
  if (self->key != NULL)
    g_string_append_printf (out, "k=%s\r\n", self->key);
  append_attributes (out, self->attributes);

  for (guint i = 0; i < self->media->len; i++)
    {
      const HailSdpMedia *m = g_ptr_array_index (self->media, i);

      g_string_append_printf (out, "m=%s %u", m->media, m->port);
      if (m->n_ports > 1)
        g_string_append_printf (out, "/%u", m->n_ports);
      g_string_append_printf (out, " %s", m->proto);
      for (guint j = 0; j < m->formats->len; j++)
        g_string_append_printf (out, " %s", (const char *) g_ptr_array_index (m->formats, j));
      g_string_append (out, "\r\n");
      if (m->info != NULL)
        g_string_append_printf (out, "i=%s\r\n", m->info);
      for (guint j = 0; j < m->connections->len; j++)
        append_connection (out, g_ptr_array_index (m->connections, j));
      append_bandwidths (out, m->bandwidths);
      if (m->key != NULL)
        g_string_append_printf (out, "k=%s\r\n", m->key);
      append_attributes (out, m->attributes);
    }
  return g_string_free (out, FALSE);
}

GBytes *
hail_sdp_session_to_bytes (const HailSdpSession *self)
{
  char *text;

  g_return_val_if_fail (self != NULL, NULL);

  text = hail_sdp_session_to_string (self);
  return g_bytes_new_take (text, strlen (text));
}

/**
 * hail_sdp_session_equal:
 *
 * Whether two sessions have the same fields, compared through their written
 * form (which is canonical, so line-end or order-free differences vanish).
 */
gboolean
hail_sdp_session_equal (const HailSdpSession *a,
                        const HailSdpSession *b)
{
  g_autofree char *ta = NULL;
  g_autofree char *tb = NULL;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  ta = hail_sdp_session_to_string (a);
  tb = hail_sdp_session_to_string (b);
  return g_str_equal (ta, tb);
}

const HailSdpOrigin *
hail_sdp_session_get_origin (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->origin;
}

const char *
hail_sdp_session_get_name (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

const char *
hail_sdp_session_get_info (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->info;
}

const char *
hail_sdp_session_get_uri (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->uri;
}

const GPtrArray *
hail_sdp_session_get_emails (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->emails;
}

const GPtrArray *
hail_sdp_session_get_phones (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->phones;
}

const HailSdpConnection *
hail_sdp_session_get_connection (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->connection;
}

const GPtrArray *
hail_sdp_session_get_bandwidths (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->bandwidths;
}

const GPtrArray *
hail_sdp_session_get_times (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->times;
}

const char *
hail_sdp_session_get_zone (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->zone;
}

const char *
hail_sdp_session_get_key (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->key;
}

const GPtrArray *
hail_sdp_session_get_attributes (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->attributes;
}

guint
hail_sdp_session_get_n_media (const HailSdpSession *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->media->len;
}

const HailSdpMedia *
hail_sdp_session_get_media (const HailSdpSession *self,
                            guint                 index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->media->len, NULL);
  return g_ptr_array_index (self->media, index);
}

/* Returns the value of the first session-level attribute @name (NULL also
 * for a property attribute: use has_attribute to tell them apart). */
const char *
hail_sdp_session_get_attribute (const HailSdpSession *self,
                                const char           *name)
{
  gboolean found;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return find_attribute (self->attributes, name, &found);
}

gboolean
hail_sdp_session_has_attribute (const HailSdpSession *self,
                                const char           *name)
{
  gboolean found;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  find_attribute (self->attributes, name, &found);
  return found;
}

void
hail_sdp_session_set_origin (HailSdpSession *self,
                             const char     *username,
                             guint64         sess_id,
                             guint64         sess_version,
                             const char     *address)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (address != NULL && *address != '\0');

  g_free (self->origin.username);
  g_free (self->origin.nettype);
  g_free (self->origin.addrtype);
  g_free (self->origin.address);
  /* RFC 8866 §5.2: "-" when the host has no notion of user IDs. */
  self->origin.username = g_strdup (username != NULL && *username != '\0' ? username : "-");
  self->origin.sess_id = sess_id;
  self->origin.sess_version = sess_version;
  self->origin.nettype = g_strdup ("IN");
  self->origin.addrtype = g_strdup (strchr (address, ':') != NULL ? "IP6" : "IP4");
  self->origin.address = g_strdup (address);
}

void
hail_sdp_session_set_version (HailSdpSession *self,
                              guint64         sess_version)
{
  g_return_if_fail (self != NULL);
  self->origin.sess_version = sess_version;
}

void
hail_sdp_session_set_name (HailSdpSession *self,
                           const char     *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_free (self->name);
  /* RFC 8866 §5.3: s= is never empty. */
  self->name = g_strdup (*name != '\0' ? name : "-");
}

void
hail_sdp_session_set_connection (HailSdpSession *self,
                                 const char     *address)
{
  g_return_if_fail (self != NULL);

  _hail_sdp_connection_free (self->connection);
  self->connection = address != NULL ? connection_new_for_address (address) : NULL;
}

void
hail_sdp_session_add_bandwidth (HailSdpSession *self,
                                const char     *type,
                                guint64         value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (type != NULL);

  g_ptr_array_add (self->bandwidths, _hail_sdp_bandwidth_new (type, value));
}

void
hail_sdp_session_add_attribute (HailSdpSession *self,
                                const char     *name,
                                const char     *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->attributes, _hail_sdp_attribute_new (name, value));
}

/**
 * hail_sdp_session_add_media:
 *
 * Appends an m= section with no formats yet.
 *
 * Returns: (transfer none): the section, owned by @self
 */
HailSdpMedia *
hail_sdp_session_add_media (HailSdpSession *self,
                            const char     *media,
                            guint16         port,
                            const char     *proto)
{
  HailSdpMedia *m;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (media != NULL, NULL);
  g_return_val_if_fail (proto != NULL, NULL);

  m = _hail_sdp_media_new ();
  m->media = g_strdup (media);
  m->port = port;
  m->proto = g_strdup (proto);
  g_ptr_array_add (self->media, m);
  return m;
}

/* The c= that applies to @media's own lines, or NULL to fall back to the
 * session's (RFC 8866 §5.7). */
const HailSdpConnection *
hail_sdp_media_get_connection (const HailSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, NULL);
  return media->connections->len > 0 ? g_ptr_array_index (media->connections, 0) : NULL;
}

const char *
hail_sdp_media_get_attribute (const HailSdpMedia *media,
                              const char         *name)
{
  gboolean found;

  g_return_val_if_fail (media != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  return find_attribute (media->attributes, name, &found);
}

gboolean
hail_sdp_media_has_attribute (const HailSdpMedia *media,
                              const char         *name)
{
  gboolean found;

  g_return_val_if_fail (media != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  find_attribute (media->attributes, name, &found);
  return found;
}

gboolean
hail_sdp_media_has_format (const HailSdpMedia *media,
                           const char         *format)
{
  g_return_val_if_fail (media != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  for (guint i = 0; i < media->formats->len; i++)
    if (g_str_equal (g_ptr_array_index (media->formats, i), format))
      return TRUE;
  return FALSE;
}

void
hail_sdp_media_set_port (HailSdpMedia *media,
                         guint16       port)
{
  g_return_if_fail (media != NULL);
  media->port = port;
}

void
hail_sdp_media_add_format (HailSdpMedia *media,
                           const char   *format)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (format != NULL && *format != '\0');

  g_ptr_array_add (media->formats, g_strdup (format));
}

void
hail_sdp_media_set_connection (HailSdpMedia *media,
                               const char   *address)
{
  g_return_if_fail (media != NULL);

  g_ptr_array_set_size (media->connections, 0);
  if (address != NULL)
    g_ptr_array_add (media->connections, connection_new_for_address (address));
}

void
hail_sdp_media_add_bandwidth (HailSdpMedia *media,
                              const char   *type,
                              guint64       value)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (type != NULL);

  g_ptr_array_add (media->bandwidths, _hail_sdp_bandwidth_new (type, value));
}

void
hail_sdp_media_add_attribute (HailSdpMedia *media,
                              const char   *name,
                              const char   *value)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (name != NULL);

  g_ptr_array_add (media->attributes, _hail_sdp_attribute_new (name, value));
}

void
hail_sdp_media_add_attribute_printf (HailSdpMedia *media,
                                     const char   *name,
                                     const char   *format,
                                     ...)
{
  g_autofree char *value = NULL;
  va_list args;

  g_return_if_fail (media != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (format != NULL);

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (media->attributes, _hail_sdp_attribute_new (name, value));
}

void
hail_sdp_media_remove_attributes (HailSdpMedia *media,
                                  const char   *name)
{
  g_return_if_fail (media != NULL);
  g_return_if_fail (name != NULL);

  for (guint i = media->attributes->len; i > 0; i--)
    {
      const HailSdpAttribute *attr = g_ptr_array_index (media->attributes, i - 1);

      if (g_str_equal (attr->name, name))
        g_ptr_array_remove_index (media->attributes, i - 1);
    }
}
