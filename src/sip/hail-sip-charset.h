/* hail-sip-charset.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Converts text in @charset (NULL: UTF-8, RFC 3428 §9's default for
 * MESSAGE) to valid UTF-8: bytes that are invalid in @charset, and NUL
 * bytes, become U+FFFD. Fails with HAIL_SIP_ERROR_UNSUPPORTED for a
 * charset this system cannot convert. */
char *hail_sip_charset_to_utf8 (const char  *data,
                                gsize        len,
                                const char  *charset,
                                GError     **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
