using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Revocation.Hosting;

/// <summary>
/// The one way the silo and the API host take a section of their own (the client library registers
/// its sections alike, without this project): bound from configuration, checked
/// by its <see cref="IValidateOptions{TOptions}"/> (whose messages name the setting and the value
/// at fault), and checked when the program starts, so that a wrong setting stops the start instead
/// of failing the first request that reads it.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="section"/>, validated by <typeparamref name="TValidator"/> at start.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
    }

    /// <summary>As <see cref="AddValidatedOptions{TOptions, TValidator}"/>, with a validator that needs more than services (e.g. another section's value).</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration section, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        services.AddSingleton(validator);
        return services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
    }
}
