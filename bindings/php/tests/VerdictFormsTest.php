<?php

declare(strict_types=1);

namespace NameAuth\Tests;

use NameAuth\Verdict;

require_once __DIR__ . '/SandboxTestCase.php';

/**
 * What each of PHP's ways of showing a value shows of a Verdict. Like Python's repr and
 * Java's toString, none but toArray() and var_export() shows name_mask (for a Latin name
 * it is nearly the whole name). Against the sandbox of tools/with_sandbox.py.
 */
final class VerdictFormsTest extends SandboxTestCase
{
    private static function verdict(): Verdict
    {
        self::requireSandbox();
        $client = self::client();
        // The sandbox answers name_mask "*三" for this row.
        $v = $client->verify('oZhangSan', '李四', self::ZS_ID);
        self::assertSame('*三', $v->nameMask());
        return $v;
    }

    public function testToStringIsPythonsReprWithoutNameMask(): void
    {
        // Python: Verdict(code='B', reason='name_mismatch', error_code=0, nameauth_status='1',
        // notmatch_param='1'); Java: the same fields in camel case.
        self::assertSame(
            "Verdict(code='B', reason='name_mismatch', error_code=0, nameauth_status='1', notmatch_param='1')",
            (string) self::verdict()
        );
    }

    public function testVarDumpAndPrintRShowNoNameMask(): void
    {
        $v = self::verdict();
        ob_start();
        var_dump($v);
        $dumped = (string) ob_get_clean();
        foreach ([$dumped, print_r($v, true)] as $shown) {
            self::assertStringNotContainsString('*三', $shown);
            self::assertStringNotContainsString('name_mask', $shown);
            self::assertStringContainsString('name_mismatch', $shown);
        }
    }

    public function testJsonEncodeShowsNothingAndToArrayEverything(): void
    {
        $v = self::verdict();
        // Private fields: json_encode gives an empty object; toArray() is the explicit way.
        self::assertSame('{}', json_encode($v));
        self::assertSame('*三', $v->toArray()['name_mask']);
        // var_export writes code that rebuilds the value, so it holds every field.
        self::assertStringContainsString('*三', var_export($v, true));
    }
}
