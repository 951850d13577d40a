/** Internal to nameauth: the loader of its native libraries. Not part of the API. */
package org.nameauth.internal;
