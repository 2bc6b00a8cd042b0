using Microsoft.Extensions.Options;
using WeChatMall.Api.Features.Catalog;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>
/// The per-SKU turn of orders that passed a flash-sale gate (<see cref="FlashSalePlacements"/>): at most
/// FlashSale:PlacementsPerSku of them per instance go to MySQL at once; the others wait, and a waiter that gives up
/// takes no turn with it.
/// </summary>
public sealed class FlashSalePlacementsTests
{
    static FlashSalePlacements WithLimit(int perSku) => new(Options.Create(new FlashSaleOptions { PlacementsPerSku = perSku }));

    [Test]
    public async Task A_third_order_of_a_sku_waits_for_one_of_the_two_running_while_another_sku_goes_on()
    {
        var placements = WithLimit(2);
        var first = await placements.EnterAsync(42, CancellationToken.None);
        using var second = await placements.EnterAsync(42, CancellationToken.None);

        var third = placements.EnterAsync(42, CancellationToken.None);
        var otherSku = placements.EnterAsync(43, CancellationToken.None);
        await Task.Delay(100);
        var thirdWaitedWhileTwoRan = !third.IsCompleted;
        var otherSkuWentOn = otherSku.IsCompletedSuccessfully;

        first.Dispose();
        var thirdGotItsTurn = await Task.WhenAny(third, Task.Delay(TimeSpan.FromSeconds(5))) == third;
        Assert.Multiple(() =>
        {
            Assert.That(thirdWaitedWhileTwoRan, Is.True, "the third order went to MySQL while two others of its SKU were there");
            Assert.That(otherSkuWentOn, Is.True, "another SKU waited for this SKU's turns");
            Assert.That(thirdGotItsTurn, Is.True, "the third order never got the turn the first gave back");
        });
    }

    [Test]
    public async Task A_waiter_that_gives_up_takes_no_turn_and_a_turn_given_back_twice_counts_once()
    {
        var placements = WithLimit(1);
        var running = await placements.EnterAsync(7, CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Assert.That(async () => await placements.EnterAsync(7, cancel.Token), Throws.InstanceOf<OperationCanceledException>());

        running.Dispose();
        running.Dispose();
        using var next = await placements.EnterAsync(7, CancellationToken.None);
        var another = placements.EnterAsync(7, CancellationToken.None);
        await Task.Delay(100);
        Assert.That(another.IsCompleted, Is.False, "two orders ran at once with a limit of 1: a turn was given back twice");
    }
}
