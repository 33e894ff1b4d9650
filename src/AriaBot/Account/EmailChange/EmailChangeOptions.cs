using System.ComponentModel.DataAnnotations;
using AriaBot.SignIn.VerificationCodes;

namespace AriaBot.Account.EmailChange;

/// <summary>
/// Section <c>AccountEmailChange</c>: the verified change of the account contact's e-mail (the address password resets
/// go to). A code is e-mailed to the new address and entered on a secure page before anything is written to Aria; the
/// code's and the page's limits are <see cref="VerificationCodeOptions"/>, with the same keys as before.
/// </summary>
public sealed class EmailChangeOptions : VerificationCodeOptions
{
    public const string SectionName = "AccountEmailChange";

    /// <summary>Off: the chat refuses the account e-mail with a reason, as before. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Codes sent per account per <see cref="VerificationCodeOptions.CodesWindow"/> (each change asked for sends one). Default 3.</summary>
    [Range(1, 20)]
    public int CodesPerAccount { get; set; } = 3;
}
