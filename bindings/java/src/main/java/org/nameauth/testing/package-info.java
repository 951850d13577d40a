/**
 * The nameauth sandbox in your own tests: {@link org.nameauth.testing.NameAuthSandbox} starts a
 * stand-in for the WeChat Pay server on a free loopback port (the server of the library's own
 * suites, carried in the jar as {@code linux-x86-64/libnameauth_sandbox.so}), and {@link
 * org.nameauth.testing.NameAuthSandboxExtension} gives one to each JUnit 5 test that asks for it.
 */
package org.nameauth.testing;
