/* hail-sip-charset.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text bodies from the network are never trusted to be what their
 * charset says: g_convert() gives up at the first invalid byte, so the
 * conversion runs its own loop and replaces each bad byte instead.
 */
#include "config.h"

#include "hail-sip-charset.h"

#include "hail-sip-error.h"

#include <errno.h>
#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"

static gboolean
is_utf8_name (const char *charset)
{
  return charset == NULL
         || g_ascii_strcasecmp (charset, "UTF-8") == 0
         || g_ascii_strcasecmp (charset, "UTF8") == 0
         || g_ascii_strcasecmp (charset, "US-ASCII") == 0;
}

/* g_utf8_make_valid() keeps NUL bytes, which would cut the text short in
 * every C string after it. */
static char *
make_valid_without_nul (const char *data,
                        gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (data, (gssize) len);
  GString *s;

  if (memchr (data, '\0', len) == NULL)
    return g_steal_pointer (&valid);
  s = g_string_sized_new (len + 8);
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\0')
        g_string_append (s, REPLACEMENT);
      else
        {
          const char *nul = memchr (data + i, '\0', len - i);
          gsize run = (nul != NULL ? (gsize) (nul - data) : len) - i;
          g_autofree char *part = g_utf8_make_valid (data + i, (gssize) run);

          g_string_append (s, part);
          i += run - 1;
        }
    }
  return g_string_free (s, FALSE);
}

char *
hail_sip_charset_to_utf8 (const char  *data,
                          gsize        len,
                          const char  *charset,
                          GError     **error)
{
  GIConv conv;
  GString *out;
  char *in = (char *) data;
  gsize in_left = len;
  char buf[1024];

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (is_utf8_name (charset))
    return make_valid_without_nul (data, len);

  conv = g_iconv_open ("UTF-8", charset);
  if (conv == (GIConv) -1)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "The character set “%s” is not supported", charset);
      return NULL;
    }
  out = g_string_sized_new (len + 16);
  while (in_left > 0)
    {
      char *o = buf;
      gsize o_left = sizeof buf;
      gsize r = g_iconv (conv, &in, &in_left, &o, &o_left);

      g_string_append_len (out, buf, o - buf);
      if (r != (gsize) -1)
        continue;
      if (errno == E2BIG)
        continue;
      /* EILSEQ or EINVAL (a truncated sequence at the end): skip one byte
       * and say so, then start the shift state afresh. */
      g_string_append (out, REPLACEMENT);
      in++;
      in_left--;
      g_iconv (conv, NULL, NULL, NULL, NULL);
    }
  {
    char *o = buf;
    gsize o_left = sizeof buf;

    /* Flush a stateful encoding's final shift sequence. */
    g_iconv (conv, NULL, NULL, &o, &o_left);
    g_string_append_len (out, buf, o - buf);
  }
  g_iconv_close (conv);
  {
    gsize converted_len = out->len;
    g_autofree char *converted = g_string_free (out, FALSE);

    /* A converter may still emit NUL (for NUL input); iconv output is
     * valid UTF-8, so only NUL needs care. */
    return make_valid_without_nul (converted, converted_len);
  }
}
