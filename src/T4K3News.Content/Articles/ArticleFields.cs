using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using T4K3News.Content.Editing;

namespace T4K3News.Content.Articles;

/// <summary>
/// The fields editors write, read once from <see cref="Article"/>'s declaration: its public properties not marked
/// [Editable(false)], in declaration order. Validation, trimming, revisions, the importer and the GraphQL inputs go
/// through these, so that a new field is declared on the entity and nowhere else.
/// </summary>
public static class ArticleFields
{
    public static IReadOnlyList<ArticleField> Editable { get; } =
        Declared(typeof(Article)).Where(p => p.GetCustomAttribute<EditableAttribute>() is not { AllowEdit: false }).Select(p => new ArticleField(p)).ToList();

    /// <summary>A field's name as the schema, the revisions and the validation errors spell it.</summary>
    public static string NameOf(string propertyName) => JsonNamingPolicy.CamelCase.ConvertName(propertyName);

    /// <summary>Trims every text, list items' too, so that what is stored is what readers see; an optional text of only spaces is none.</summary>
    public static void Trim(Article article)
    {
        foreach (var field in Editable)
        {
            if (field.Text is { } text)
                field.SetValue(article, text.Normalize((string?)field.GetValue(article)));
            else if (field.Item is { } item)
                field.SetValue(article, item.NewList(((IEnumerable)field.GetValue(article)!).Cast<object>().Select(item.Trimmed)));
        }
    }

    /// <summary>Copies every editable field of <paramref name="source"/> onto <paramref name="target"/>.</summary>
    public static void CopyFieldsTo(this Article source, Article target)
    {
        foreach (var field in Editable)
        {
            var value = field.GetValue(source);
            field.SetValue(target, value is IEnumerable list and not string ? field.Item!.NewList(list.Cast<object>()) : value);
        }
    }

    /// <summary>
    /// Writes the fields an input gives (its properties that are not null) onto the editable fields of the same name. A
    /// list of strings fills a list whose items hold one text; a nested input sets, whole, the fields its name prefixes
    /// (heroImage { altText } sets HeroImageAltText). Properties naming no editable field (ids, versions) are the caller's.
    /// </summary>
    public static void Apply(object input, Article article)
    {
        foreach (var property in Declared(input.GetType()))
        {
            if (property.GetValue(input) is not { } value)
                continue;
            if (Editable.FirstOrDefault(f => f.Property.Name == property.Name) is { } field)
            {
                field.SetValue(article, field.Item is { } item ? item.NewList(((IEnumerable)value).Cast<object>().Select(item.From)) : value);
                continue;
            }

            if (value is string or IEnumerable || property.PropertyType.IsValueType)
                continue;
            foreach (var part in Declared(property.PropertyType))
            {
                if (Editable.FirstOrDefault(f => f.Property.Name == property.Name + part.Name) is { } partField)
                    partField.SetValue(article, part.GetValue(value));
            }
        }
    }

    /// <summary>Every text of the article's editable fields, its list items' included.</summary>
    public static IEnumerable<string> Texts(Article article, Func<ArticleField, bool> which) =>
        Editable.Where(which).SelectMany(field => field.Text is not null ? [(string?)field.GetValue(article)]
            : field.Item is { } item ? ((IEnumerable)field.GetValue(article)!).Cast<object>().SelectMany(i => item.Texts.Select(t => t.Get(i)))
            : []).OfType<string>();

    internal static IEnumerable<PropertyInfo> Declared(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken);
}

/// <summary>One field editors write: a text, a list of items, or another value.</summary>
public sealed class ArticleField
{
    internal ArticleField(PropertyInfo property)
    {
        Property = property;
        Name = ArticleFields.NameOf(property.Name);
        Text = TextRule.Of(property);
        if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>))
            Item = new ListItem(property.PropertyType.GetGenericArguments()[0]);
    }

    public PropertyInfo Property { get; }

    /// <summary>As the schema, the revisions and the validation errors spell it.</summary>
    public string Name { get; }

    /// <summary>The rules of a text field; null for other fields.</summary>
    public TextRule? Text { get; }

    /// <summary>The items of a list field; null for other fields.</summary>
    public ListItem? Item { get; }

    public object? GetValue(Article article) => Property.GetValue(article);

    public void SetValue(Article article, object? value) => Property.SetValue(article, value);
}

/// <summary>A text's rules: required unless declared with '?', and at most as long as its [MaxLength].</summary>
public sealed class TextRule
{
    private static readonly NullabilityInfoContext Nullability = new();

    private TextRule(PropertyInfo property)
    {
        Property = property;
        Name = ArticleFields.NameOf(property.Name);
        lock (Nullability)
            Required = Nullability.Create(property).WriteState != NullabilityState.Nullable;
        MaxLength = property.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? int.MaxValue;
        OneLine = property.GetCustomAttribute<OneLineAttribute>() is not null;
    }

    public PropertyInfo Property { get; }
    public string Name { get; }
    public bool Required { get; }
    public int MaxLength { get; }

    /// <summary>Marked <see cref="OneLineAttribute"/>: no line breaks or control characters.</summary>
    public bool OneLine { get; }

    public static TextRule? Of(PropertyInfo property) => property.PropertyType == typeof(string) ? new TextRule(property) : null;

    public string? Get(object owner) => (string?)Property.GetValue(owner);

    public string? Normalize(string? value) =>
        Required ? (value ?? "").Trim() : string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Why the text cannot be stored, or null when it can.</summary>
    public string? Problem(string? value) =>
        Required && string.IsNullOrWhiteSpace(value) ? "Required: it cannot be empty."
        : value is null ? null
        : OneLine ? StoredText.OneLineProblem(value, MaxLength)
        : StoredText.Problem(value, MaxLength);
}

/// <summary>A text of one line (a headline, a standfirst): line breaks and control characters are refused.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneLineAttribute : Attribute;

/// <summary>The items of a list field: values (records) with texts of their own.</summary>
public sealed class ListItem
{
    private readonly Type type;
    private readonly IReadOnlyList<PropertyInfo> properties;

    internal ListItem(Type type)
    {
        this.type = type;
        properties = ArticleFields.Declared(type).Where(p => p.CanWrite).ToList();
        Texts = properties.Select(TextRule.Of).OfType<TextRule>().ToList();
    }

    public IReadOnlyList<TextRule> Texts { get; }

    /// <summary>An item that is one text is sent as that text, and named by its place alone in validation errors.</summary>
    public bool IsOneText => properties.Count == 1 && Texts.Count == 1;

    /// <summary>The item an input gives: the item itself, or the text of a one-text item.</summary>
    public object From(object value) => value is string text && IsOneText ? New(p => text) : value;

    public object Trimmed(object item) =>
        New(p => Texts.FirstOrDefault(t => t.Property == p) is { } text ? text.Normalize(text.Get(item)) : p.GetValue(item));

    public IList NewList(IEnumerable<object> items)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type))!;
        foreach (var item in items)
            list.Add(item);
        return list;
    }

    private object New(Func<PropertyInfo, object?> value)
    {
        var item = Activator.CreateInstance(type)!;
        foreach (var property in properties)
            property.SetValue(item, value(property));
        return item;
    }
}
