using Shipgate.Core.Diagnostics;
using Shipgate.Core.Workflows;

namespace Shipgate.Core.Tests.Workflows;

public sealed class ScalarTokenTests
{
    [Fact]
    public void HasExpression_TextWithInterpolation_IsTrue()
    {
        var token = new ScalarToken("echo ${{ github.sha }}", IsPlain: true, new SourceLocation("w.yml", 1, 1));
        Assert.True(token.HasExpression);
        Assert.False(new ScalarToken("echo hi", IsPlain: true, token.Location).HasExpression);
    }
}
