/* hail-store-error.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store-error.h"

G_DEFINE_QUARK (hail-store-error-quark, hail_store_error)
