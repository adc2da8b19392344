/* hail-msrp-builder.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MSRP writer. A chunk's body is copied once, into a buffer sized for
 * the whole frame.
 */
#include "config.h"

#include "hail-msrp-builder.h"

#include <openssl/rand.h>
#include <string.h>

#include "hail-msrp-private.h"
#include "hail-sip-error.h"

struct _HailMsrpBuilder
{
  char     *tid;
  char     *start;      /* The start line after the transaction id, CRLF included. */
  char     *to_path;
  char     *from_path;
  GString  *headers;    /* Other header lines, CRLF included. */
  gboolean  drawn_tid;  /* We made the id, so we may make another. */
};

/* Tries this many fresh ids for a body that holds the end-line of the
 * previous one; with 96 random bits the second never collides by chance. */
#define MAX_TID_DRAWS 8

char *
hail_msrp_new_ident (void)
{
  guint8 bytes[12];

  /* Transaction and message ids need uniqueness, not secrecy; should the
   * CSPRNG ever fail, GLib's generator still keeps them apart. */
  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      for (gsize i = 0; i < sizeof bytes; i++)
        bytes[i] = (guint8) g_random_int ();
    }
  return g_strdup_printf ("%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x",
                          bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
                          bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11]);
}

static HailMsrpBuilder *
builder_new (const char *transaction_id)
{
  HailMsrpBuilder *self = g_new0 (HailMsrpBuilder, 1);

  self->drawn_tid = transaction_id == NULL;
  self->tid = transaction_id != NULL ? g_strdup (transaction_id) : hail_msrp_new_ident ();
  self->headers = g_string_new (NULL);
  return self;
}

HailMsrpBuilder *
hail_msrp_builder_new_request (const char *transaction_id,
                               const char *method)
{
  HailMsrpBuilder *self;

  g_return_val_if_fail (transaction_id == NULL ||
                        _hail_msrp_is_ident (transaction_id, strlen (transaction_id)), NULL);
  g_return_val_if_fail (method != NULL && *method != '\0', NULL);

  self = builder_new (transaction_id);
  self->start = g_strdup_printf (" %s\r\n", method);
  return self;
}

HailMsrpBuilder *
hail_msrp_builder_new_response (const char *transaction_id,
                                guint       code,
                                const char *comment)
{
  HailMsrpBuilder *self;

  g_return_val_if_fail (transaction_id != NULL &&
                        _hail_msrp_is_ident (transaction_id, strlen (transaction_id)), NULL);
  g_return_val_if_fail (code >= 100 && code <= 999, NULL);

  self = builder_new (transaction_id);
  self->start = comment != NULL ? g_strdup_printf (" %03u %s\r\n", code, comment)
                                : g_strdup_printf (" %03u\r\n", code);
  return self;
}

void
hail_msrp_builder_free (HailMsrpBuilder *self)
{
  if (self == NULL)
    return;
  g_free (self->tid);
  g_free (self->start);
  g_free (self->to_path);
  g_free (self->from_path);
  g_string_free (self->headers, TRUE);
  g_free (self);
}

const char *
hail_msrp_builder_get_transaction_id (HailMsrpBuilder *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tid;
}

static char *
path_line (const char *name,
           GPtrArray  *uris)
{
  GString *line = g_string_new (name);

  g_string_append_c (line, ':');
  for (guint i = 0; i < uris->len; i++)
    {
      g_string_append_c (line, ' ');
      g_string_append (line, hail_msrp_uri_to_string (uris->pdata[i]));
    }
  g_string_append (line, "\r\n");
  return g_string_free (line, FALSE);
}

void
hail_msrp_builder_set_to_path (HailMsrpBuilder *self,
                               GPtrArray       *uris)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (uris != NULL && uris->len > 0);

  g_free (self->to_path);
  self->to_path = path_line ("To-Path", uris);
}

void
hail_msrp_builder_set_from_path (HailMsrpBuilder *self,
                                 GPtrArray       *uris)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (uris != NULL && uris->len > 0);

  g_free (self->from_path);
  self->from_path = path_line ("From-Path", uris);
}

void
hail_msrp_builder_add_header (HailMsrpBuilder *self,
                              const char      *name,
                              const char      *value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && g_ascii_isalpha (*name));
  g_return_if_fail (value != NULL && strpbrk (value, "\r\n") == NULL);

  g_string_append_printf (self->headers, "%s: %s\r\n", name, value);
}

void
hail_msrp_builder_add_byte_range (HailMsrpBuilder         *self,
                                  const HailMsrpByteRange *range)
{
  g_autofree char *text = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (range != NULL && range->start >= 1);

  text = hail_msrp_byte_range_to_string (range);
  hail_msrp_builder_add_header (self, "Byte-Range", text);
}

void
hail_msrp_builder_add_status (HailMsrpBuilder *self,
                              guint            code,
                              const char      *comment)
{
  g_autofree char *text = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (code >= 100 && code <= 999);

  /* RFC 4975 §9: namespace 000 is MSRP's own status codes. */
  text = comment != NULL ? g_strdup_printf ("000 %03u %s", code, comment)
                         : g_strdup_printf ("000 %03u", code);
  hail_msrp_builder_add_header (self, "Status", text);
}

static void
append (guint8     **p,
        const void  *data,
        gsize        len)
{
  memcpy (*p, data, len);
  *p += len;
}

GBytes *
hail_msrp_builder_finish (HailMsrpBuilder       *self,
                          const char            *content_type,
                          const guint8          *body,
                          gsize                  body_len,
                          HailMsrpContinuation   continuation,
                          GError               **error)
{
  g_autoptr(HailMsrpBuilder) owned G_GNUC_UNUSED = self;
  g_autofree char *ct_line = NULL;
  gsize tid_len;
  gsize size;
  guint8 *data;
  guint8 *p;
  char flag;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->to_path != NULL && self->from_path != NULL, NULL);
  g_return_val_if_fail (body != NULL || body_len == 0, NULL);
  g_return_val_if_fail (content_type != NULL || body_len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint draw = 0; content_type != NULL &&
       _hail_msrp_body_has_end_line (body, body_len, self->tid, strlen (self->tid)); draw++)
    {
      if (!self->drawn_tid || draw == MAX_TID_DRAWS)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                       "The MSRP body holds the end-line of transaction %s", self->tid);
          return NULL;
        }
      g_free (self->tid);
      self->tid = hail_msrp_new_ident ();
    }

  tid_len = strlen (self->tid);
  if (content_type != NULL)
    ct_line = g_strdup_printf ("Content-Type: %s\r\n\r\n", content_type);
  size = 5 + tid_len + strlen (self->start) + strlen (self->to_path) + strlen (self->from_path) +
         self->headers->len + (ct_line != NULL ? strlen (ct_line) + body_len + 2 : 0) +
         7 + tid_len + 3;
  data = g_malloc (size);
  p = data;
  append (&p, "MSRP ", 5);
  append (&p, self->tid, tid_len);
  append (&p, self->start, strlen (self->start));
  append (&p, self->to_path, strlen (self->to_path));
  append (&p, self->from_path, strlen (self->from_path));
  append (&p, self->headers->str, self->headers->len);
  if (ct_line != NULL)
    {
      append (&p, ct_line, strlen (ct_line));
      if (body_len > 0)
        append (&p, body, body_len);
      append (&p, "\r\n", 2);
    }
  append (&p, "-------", 7);
  append (&p, self->tid, tid_len);
  flag = (char) continuation;
  append (&p, &flag, 1);
  append (&p, "\r\n", 2);
  g_assert ((gsize) (p - data) == size);
  return g_bytes_new_take (data, size);
}
